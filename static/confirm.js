// Asks before a form is sent when its submit button, or else the form, carries
// data-confirm="question". Cancelled: nothing is sent, and no other submit handler runs.
// Listening on the document (capturing) covers forms added to the page later too.
document.addEventListener(
  "submit",
  function (event) {
    var button = event.submitter;
    var question =
      (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true
);
