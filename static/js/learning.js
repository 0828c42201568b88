// The handbook's "Print this page" button: shown only when JavaScript can run it.
for (const button of document.querySelectorAll("[data-sl-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
  const hint = button.parentElement.querySelector(".sl-print-hint");
  if (hint) hint.hidden = true;
}
