"""Find words shown to people that are not marked for translation.

Templates: the text between tags and the attributes a person reads or hears
(title, alt, placeholder, aria-label, a button's value...) must come from
`{% translate %}`, `{% blocktranslate %}` or a variable; literal words in a
filter or tag argument (`|default:"None yet"`) must be `_("…")`.

Python: strings handed to what people see (a field's label, help_text,
verbose_name, choices, a message, a ValidationError) must be wrapped in
gettext, and so must any other sentence-like literal (two words or more,
with a capital or a full stop) outside a docstring, a log line or a call that
takes code, not words. A line that truly never reaches a person carries a
trailing `# i18n: not shown`.

Run as a script with files or folders to check only those:
`python tests/i18n_unmarked.py templates/resources resources/views.py`.
tests/harmreduction/test_i18n.py runs it over the whole project.
"""

import ast
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates"]
PYTHON_DIRS = [ROOT / "harmreduction", ROOT / "resources", ROOT / "sessions_app"]
# Console output for operators, the database's history and code that never shows a word.
PYTHON_SKIP = {"migrations", "management", "tests", "formats"}
PYTHON_SKIP_FILES = {"settings.py", "asgi.py", "wsgi.py", "checks.py", "apps.py"}

LETTERS = re.compile(r"[A-Za-z]{2,}")
ENTITY = re.compile(r"&#?\w+;")
# Attributes a person reads (or a screen reader speaks).
SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "aria-roledescription", "label"}
MARKED_TAGS = {"translate", "trans"}
BLOCK_MARKED = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
# Words that read the same in every language we serve (codes, names of standards).
SAME_IN_EVERY_LANGUAGE = {"HSDS", "JSON", "CSV", "QR", "OK", "ZIP"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[int, str]] = []
        self._quiet = 0  # inside <script>, <style> or <svg>

    def _check(self, text: str):
        text = ENTITY.sub(" ", text)
        words = [w for w in LETTERS.findall(text) if w not in SAME_IN_EVERY_LANGUAGE]
        if words:
            self.found.append((self.getpos()[0], " ".join(text.split())))

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "svg"}:
            self._quiet += 1
        attributes = dict(attrs)
        for name, value in attrs:
            is_button = name == "value" and attributes.get("type") in {"submit", "button", "reset"}
            if value and (name in SHOWN_ATTRIBUTES or is_button):
                self._check(value)
        if tag == "meta" and attributes.get("name") == "description" and attributes.get("content"):
            self._check(attributes["content"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in {"script", "style", "svg"}:
            self._quiet -= 1

    def handle_endtag(self, tag):
        if tag in {"script", "style", "svg"}:
            self._quiet = max(0, self._quiet - 1)

    def handle_data(self, data):
        if not self._quiet:
            self._check(data)


# A quoted literal with words in it, inside a {{ }} or a {% %} (not inside _("…")).
_LITERAL = re.compile(r"""(?<!_\()(["'])((?:(?!\1).)*?[A-Za-z]{2,}[^"']*?\s[^"']*?)\1""")
# Tags whose string arguments are names of things, not words for people.
_CODE_TAGS = {"url", "static", "include", "extends", "load", "block", "partialdef", "partial", "cycle", "now",
              "csrf_token", "language", "get_current_language", "get_available_languages", "widthratio",
              "firstof", "templatetag", "spaceless", "autoescape", "filter", "regroup", "lorem", "debug",
              "get_language_info", "get_language_info_list", "verbatim"}


def _literal_words(token_contents: str) -> list[str]:
    return [m.group(2) for m in _LITERAL.finditer(token_contents) if LETTERS.search(m.group(2))]


def template_findings(path: Path) -> list[tuple[int, str]]:
    from django.template.base import Lexer, TokenType

    source = path.read_text(encoding="utf-8")
    # Django drops what lies between {% comment %} and {% endcomment %}; so do we (keeping lines).
    source = re.sub(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", lambda m: "\n" * m.group(0).count("\n"),
                    source, flags=re.S)
    pieces: list[str] = []
    found: list[tuple[int, str]] = []
    closing = None  # inside a blocktranslate: the tag that ends it
    for token in Lexer(source).tokenize():
        kind, contents = token.token_type, token.contents
        name = contents.split()[0] if kind == TokenType.BLOCK and contents.split() else ""
        # A tag or variable stands in the text as \x00: no letters, same lines.
        placeholder = "\x00" + "\n" * contents.count("\n")
        if closing:
            if kind == TokenType.BLOCK and name == closing:
                closing = None
            pieces.append(placeholder if kind != TokenType.TEXT else "\x00" + "\n" * contents.count("\n"))
        elif kind == TokenType.TEXT:
            pieces.append(contents)
        elif kind == TokenType.COMMENT:
            pieces.append("\n" * contents.count("\n"))
        elif kind == TokenType.VAR:
            for words in _literal_words(contents):
                found.append((token.lineno, f'{{{{ {contents} }}}} has words not in _("…"): {words}'))
            pieces.append(placeholder)
        else:
            if name in BLOCK_MARKED:
                closing = BLOCK_MARKED[name]
            elif name not in MARKED_TAGS and name not in _CODE_TAGS:
                for words in _literal_words(contents):
                    found.append((token.lineno, f'{{% {contents} %}} has words not in _("…"): {words}'))
            pieces.append(placeholder)
    parser = _Text()
    parser.feed("".join(pieces))
    parser.close()
    return sorted(found + parser.found)


# --- Python ---------------------------------------------------------------

GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
           "npgettext", "npgettext_lazy", "gettext_noop", "format_lazy"}
SHOWN_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label", "description",
                  "empty_value_display", "short_description", "message", "title"}
MESSAGE_CALLS = {"success", "info", "warning", "error", "debug", "add_message"}
ERROR_CALLS = {"ValidationError", "HttpResponseBadRequest", "HttpResponseForbidden", "BadRequest"}
# Calls whose string arguments are code, names or log lines, never words on a page.
CODE_CALLS = {"getLogger", "debug", "info", "warning", "error", "exception", "critical", "log",  # logging (see below)
              "compile", "match", "search", "sub", "fullmatch", "split", "findall", "finditer",  # re
              "RawSQL", "extra", "raw", "execute", "Func", "Value", "F", "Q", "Index", "UniqueConstraint",
              "CheckConstraint", "GinIndex", "SearchVector", "SearchQuery", "Cast", "Concat",
              "get", "getlist", "pop", "setdefault", "startswith", "endswith", "replace", "join", "strip",
              "format_html_join", "reverse", "reverse_lazy", "redirect", "resolve_url", "getattr", "hasattr",
              "setattr", "isinstance", "encode", "decode", "strftime", "strptime", "fromisoformat",
              "permission_required", "require_http_methods", "path", "re_path", "include", "Path",
              "open", "render", "render_to_string", "get_template", "select_template", "HttpResponse",
              "JsonResponse", "StreamingHttpResponse", "FileResponse", "warn", "ImproperlyConfigured",
              "SuspiciousOperation", "PermissionDenied", "Http404", "ValueError", "TypeError", "KeyError",
              "RuntimeError", "AssertionError", "NotImplementedError", "LookupError", "Exception",
              "Error", "Warning", "Critical", "Info", "Debug", "dumps", "loads", "header", "Header",
              "sign", "unsign", "b64encode", "hexdigest", "md5", "sha256", "new", "update", "hmac"}
SENTENCE = re.compile(r"^(?=.*[a-z])(?=.*[A-Za-z]{2,}\s+\S)(?:[A-Z]|.*[.!?:]$)", re.S)


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _is_text(node) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str) and LETTERS.search(node.value)) or (
        isinstance(node, ast.JoinedStr)
        and any(isinstance(v, ast.Constant) and LETTERS.search(str(v.value)) for v in node.values)
    )


def _text_of(node) -> str:
    if isinstance(node, ast.Constant):
        return node.value
    return "".join(v.value if isinstance(v, ast.Constant) else "{…}" for v in node.values)


class _PythonCheck(ast.NodeVisitor):
    def __init__(self, lines: list[str]):
        self.lines = lines
        self.found: list[tuple[int, str]] = []
        self._code = 0  # inside a call whose strings are code or already marked
        self._docstrings: set[int] = set()

    def _report(self, node, why: str):
        line = self.lines[node.lineno - 1] if node.lineno - 1 < len(self.lines) else ""
        if "i18n: not shown" not in line:
            self.found.append((node.lineno, f"{why}: {_text_of(node)!r}"))

    def _note_docstring(self, node):
        body = getattr(node, "body", [])
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self._docstrings.add(id(body[0].value))

    def visit_Module(self, node):
        self._note_docstring(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        self._note_docstring(node)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self._note_docstring(node)
        bases = {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases}
        if bases & {"TextChoices", "IntegerChoices", "Choices"}:
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple):
                    label = statement.value.elts[-1]
                    if len(statement.value.elts) > 1 and _is_text(label):
                        self._report(label, "a choice's label is not marked")
                        self._docstrings.add(id(label))
        self.generic_visit(node)

    def visit_Call(self, node):
        name = _call_name(node)
        if name in GETTEXT:
            return  # marked
        for keyword in node.keywords:
            if keyword.arg in SHOWN_KEYWORDS and _is_text(keyword.value):
                self._report(keyword.value, f"{keyword.arg}= is not marked")
                self._docstrings.add(id(keyword.value))
            if keyword.arg == "choices" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                for choice in keyword.value.elts:
                    if isinstance(choice, ast.Tuple) and len(choice.elts) == 2 and _is_text(choice.elts[1]):
                        self._report(choice.elts[1], "a choice's label is not marked")
                        self._docstrings.add(id(choice.elts[1]))
        is_field = name.endswith("Field") and name not in {"ForeignKey", "OneToOneField", "ManyToManyField"}
        if is_field and node.args and _is_text(node.args[0]) and isinstance(node.func, ast.Attribute) \
                and getattr(node.func.value, "id", "") == "models":
            self._report(node.args[0], "a field's verbose name is not marked")
            self._docstrings.add(id(node.args[0]))
        receiver = getattr(node.func, "value", None)
        if name in MESSAGE_CALLS and getattr(receiver, "id", "") == "messages":
            for arg in node.args[1:]:
                if _is_text(arg):
                    self._report(arg, "a message is not marked")
                    self._docstrings.add(id(arg))
        elif name in ERROR_CALLS or name == "add_error":
            # add_error(field, error): the field's name is code.
            for arg in node.args[1:] if name == "add_error" else node.args:
                if _is_text(arg):
                    self._report(arg, f"{name}() text is not marked")
                    self._docstrings.add(id(arg))
        logging_call = name in {"debug", "info", "warning", "error", "exception", "critical", "log"} and not (
            getattr(receiver, "id", "") == "messages")
        if name in CODE_CALLS or logging_call:
            self._code += 1
            self.generic_visit(node)
            self._code -= 1
        else:
            self.generic_visit(node)

    def visit_JoinedStr(self, node):
        if not self._code and id(node) not in self._docstrings and _is_text(node) and SENTENCE.search(_text_of(node)):
            self._report(node, "words not marked for translation")
        # The parts of an f-string are reported with it, not one by one.

    def visit_Constant(self, node):
        if (
            isinstance(node.value, str)
            and not self._code
            and id(node) not in self._docstrings
            and SENTENCE.search(node.value)
            and not node.value.startswith(("http", "/", "<", "{", "%", "#", "-", "^", "SELECT", "WITH"))
            and " | " not in node.value  # a type written as a string
        ):
            self._report(node, "words not marked for translation")


def python_findings(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    check = _PythonCheck(source.splitlines())
    check.visit(ast.parse(source))
    return sorted(set(check.found))


# --- Both -----------------------------------------------------------------

def files(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.html"))
            found += sorted(
                p for p in path.rglob("*.py")
                if not (set(p.relative_to(path).parts[:-1]) & PYTHON_SKIP) and p.name not in PYTHON_SKIP_FILES
            )
        else:
            found.append(path)
    return found


def findings(paths: list[Path] | None = None) -> dict[str, list[tuple[int, str]]]:
    """{file: [(line, what)]} for every file with a word not marked."""
    result = {}
    for path in files(paths or TEMPLATE_DIRS + PYTHON_DIRS):
        found = template_findings(path) if path.suffix == ".html" else python_findings(path)
        if found:
            result[str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)] = found
    return result


def main(argv: list[str]) -> int:
    import os

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmreduction.settings")
    import django

    django.setup()
    result = findings([Path(a).resolve() for a in argv] or None)
    for name, found in result.items():
        for line, what in found:
            print(f"{name}:{line}: {what}")
    print(f"{sum(map(len, result.values()))} unmarked in {len(result)} files", file=sys.stderr)
    return 1 if result else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
