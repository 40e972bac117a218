// The referral slip's "Print" button: a file of its own because the CSP forbids inline handlers.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
