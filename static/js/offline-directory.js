// The directory's offline copy (/directory/offline/): search and chips over the rows
// the server drew, with no request. Each row carries its search document (the stems
// and words the online search reads, resources/search.py) and its kinds, languages
// and access; the words typed are folded and cut the same way as on the server, with
// a light stand-in for its English stems. The synonym list comes with the page.
// window.offlineSearch(words) is also what the check-in form's referral search uses
// without signal (checkin-form.js), over the same copy.
window.offlineSearch = function (words) {
  var stop = new Set(words.stop), acronyms = new Set(words.acronyms);
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/['\u2019]/g, "");
  }
  function rawWords(text) { return fold(text).match(/[a-z0-9]+(?:-[a-z0-9]+)*/g) || []; }
  function tokens(word) {
    var parts = word.split("-");
    return parts.length > 1 ? parts.concat([parts.join("")]) : parts;
  }
  // The document holds each word and its stem, so a word typed in full or begun matches;
  // a plural or -ing form is also tried without its ending ("syringes" finds "syring").
  function forms(word) {
    var m = word.match(/^(.{3,}?)(ies|es|s|ing|ed)$/);
    return m ? [word, m[1]] : [word];
  }
  function key(list) { return list.map(function (w) { var f = forms(w); return f[f.length - 1]; }).join(" "); }
  function term(word) { return { forms: forms(word), whole: acronyms.has(word) }; }
  var synonyms = new Map(), longest = 0;
  words.synonyms.forEach(function (pair) {
    var phrase = pair[0].split(" ");
    longest = Math.max(longest, phrase.length);
    var meanings = pair[1].map(function (stems) {
      return stems.map(function (s) { return { forms: [s], whole: acronyms.has(s) }; });
    });
    var k = key(phrase);
    synonyms.set(k, (synonyms.get(k) || []).concat(meanings));
  });

  function parse(query) {
    var list = [];
    rawWords(query).forEach(function (w) { list.push.apply(list, tokens(w)); });
    var groups = [], i = 0;
    while (i < list.length && groups.length < 8) {
      var group = null;
      for (var size = Math.min(longest, list.length - i); size > 0 && !group; size--) {
        var phrase = list.slice(i, i + size);
        var meanings = synonyms.get(key(phrase));
        if (meanings) {
          var own = phrase.filter(function (w) { return !stop.has(w); }).map(term);
          group = (own.length ? [own] : []).concat(meanings);
          i += size;
        }
      }
      if (!group) {
        var word = list[i++];
        if (!stop.has(word)) group = [[term(word)]];
      }
      if (group && group.length) groups.push(group);
    }
    return groups;
  }
  function has(doc, t) {
    return t.forms.some(function (f) { return doc.indexOf(" " + f + (t.whole ? " " : "")) !== -1; });
  }
  function matches(groups, doc) {
    return groups.every(function (group) {
      return group.some(function (alt) { return alt.every(function (t) { return has(doc, t); }); });
    });
  }
  return function (query) {
    var groups = parse(query);
    return { words: groups.length, test: function (doc) { return matches(groups, doc || ""); } };
  };
};

(function () {
  var form = document.getElementById("offline-directory-form");
  var data = document.getElementById("offline-search-words");
  var texts = document.getElementById("offline-count-text");
  if (!form || !data || !texts) return;
  // The count's words come with the page, in its language (views._plural_texts).
  texts = JSON.parse(texts.textContent);
  function counted(words, n) {
    var form = words.forms[words.pick[n < 200 ? n : 100 + (n % 100)]];
    return form.replace("%(counter)s", String(n));
  }
  var search = window.offlineSearch(JSON.parse(data.textContent));
  var rows = Array.prototype.slice.call(document.querySelectorAll("#offline-results li.result"));
  var count = document.getElementById("offline-count"), none = document.getElementById("offline-none");
  var input = document.getElementById("offline-q");

  function ticked(name) {
    return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (box) {
      return box.value;
    });
  }
  function anyOf(wanted, list) {
    return !wanted.length || wanted.some(function (code) { return list.indexOf(code) !== -1; });
  }

  function filter() {
    var query = search(input.value);
    var kinds = [ticked("kind"), ticked("medication"), ticked("pay")], langs = ticked("lang");
    var walkin = ticked("walkin").length > 0, shown = 0;
    rows.forEach(function (row) {
      var codes = (row.dataset.terms || "").split(" "), spoken = (row.dataset.lang || "").split(" ");
      var ok = query.test(row.dataset.search) &&
        kinds.every(function (wanted) { return anyOf(wanted, codes); }) &&
        anyOf(langs, spoken) && (!walkin || row.hasAttribute("data-walkin"));
      row.hidden = !ok;
      if (ok) shown++;
    });
    var narrowed = query.words || walkin || langs.length || kinds.some(function (k) { return k.length; });
    count.textContent = counted(narrowed ? texts.matching : texts.all, shown);
    none.hidden = shown > 0 || !rows.length;
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); filter(); });
  form.addEventListener("input", filter);
  form.addEventListener("change", filter);
})();
