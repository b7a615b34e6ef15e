// A "Print" button for the disclosure notice and the accounting (CSP forbids inline handlers).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
