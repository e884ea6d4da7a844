/* Self-assessment questions: local script, no library, no network.
 * Wires the « Vérifier » buttons, shows the feedback of the chosen options and keeps the
 * page score in a live region. Emits a "course:quiz" event with the score, for the LMS
 * runtime (SCORM) when the page is played inside an LMS. */
(function () {
  "use strict";

  var MSG = {
    empty: "Choisissez au moins une réponse avant de vérifier.",
    ok: "Bonne réponse.",
    ko: "Ce n'est pas tout à fait cela : lisez les retours sous les options choisies.",
    score: function (correct, checked, total) {
      return "Votre score : " + correct + " bonne(s) réponse(s) sur " + total +
        " question(s) — " + checked + " vérifiée(s).";
    }
  };

  function updateScore() {
    var questions = document.querySelectorAll("fieldset.course-question");
    var correct = 0, checked = 0;
    questions.forEach(function (q) {
      if (q.dataset.state) { checked += 1; }
      if (q.dataset.state === "correct") { correct += 1; }
    });
    var total = questions.length;
    document.querySelectorAll(".course-score").forEach(function (el) {
      el.textContent = MSG.score(correct, checked, total);
    });
    document.dispatchEvent(new CustomEvent("course:quiz", {
      detail: { correct: correct, checked: checked, total: total }
    }));
  }

  function check(question) {
    var chosen = 0, right = true;
    question.querySelectorAll("input").forEach(function (input) {
      var isCorrect = input.dataset.correct === "1";
      var feedback = document.getElementById(input.id + "-retour");
      if (input.checked) { chosen += 1; }
      if (input.checked !== isCorrect) { right = false; }
      if (feedback) { feedback.hidden = !input.checked; }
      input.parentElement.classList.toggle("course-chosen", input.checked);
    });
    var result = question.querySelector(".course-result");
    if (!chosen) {
      result.textContent = MSG.empty;
      return;
    }
    question.dataset.state = right ? "correct" : "faux";
    result.textContent = right ? MSG.ok : MSG.ko;
    updateScore();
  }

  function init() {
    var questions = document.querySelectorAll("fieldset.course-question");
    questions.forEach(function (question) {
      var button = question.querySelector("button.course-check");
      if (button) {
        button.addEventListener("click", function () { check(question); });
      }
    });
    if (questions.length) {
      document.querySelectorAll(".course-score").forEach(function (el) {
        el.textContent = MSG.score(0, 0, questions.length);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
