/* Self-assessment questions: local script, no library, no network.
 * Wires the « Vérifier » buttons, shows the feedback of the chosen options and keeps the
 * page score in a live region. Emits a "course:quiz" event with the score at each check.
 *
 * For the LMS run-time (scorm-runtime.js), once every button is wired it publishes
 * window.courseQuiz and emits "course:quiz-ready" (one order of initialisation, no timer):
 *   courseQuiz.answers()        -> {questionId: [option values]} of the checked questions
 *   courseQuiz.restore(saved)   -> ticks and checks each saved answer, then emits one
 *                                  "course:quiz" event with the score of all of them
 *   courseQuiz.summary()        -> {correct, checked, total} */
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

  function questions() { return document.querySelectorAll("fieldset.course-question"); }

  function summary() {
    var correct = 0, checked = 0, all = questions();
    all.forEach(function (q) {
      if (q.dataset.state) { checked += 1; }
      if (q.dataset.state === "correct") { correct += 1; }
    });
    return { correct: correct, checked: checked, total: all.length };
  }

  function updateScore() {
    var s = summary();
    document.querySelectorAll(".course-score").forEach(function (el) {
      el.textContent = MSG.score(s.correct, s.checked, s.total);
    });
    document.dispatchEvent(new CustomEvent("course:quiz", { detail: s }));
  }

  /* Marks the question right or wrong from its ticked options; false when nothing is ticked. */
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
      return false;
    }
    question.dataset.state = right ? "correct" : "faux";
    result.textContent = right ? MSG.ok : MSG.ko;
    return true;
  }

  function answers() {
    var saved = {};
    questions().forEach(function (q) {
      if (!q.dataset.state || !q.id) { return; }
      var chosen = [];
      q.querySelectorAll("input:checked").forEach(function (i) { chosen.push(Number(i.value)); });
      saved[q.id] = chosen;
    });
    return saved;
  }

  function restore(saved) {
    var restored = 0;
    Object.keys(saved || {}).forEach(function (id) {
      var q = document.getElementById(id), values = saved[id];
      if (!q || !q.classList.contains("course-question") || !Array.isArray(values)) { return; }
      q.querySelectorAll("input").forEach(function (input) {
        input.checked = values.indexOf(Number(input.value)) >= 0;
      });
      if (check(q)) { restored += 1; }
    });
    updateScore();
    return restored;
  }

  function init() {
    var all = questions();
    all.forEach(function (question) {
      var button = question.querySelector("button.course-check");
      if (button) {
        button.addEventListener("click", function () {
          if (check(question)) { updateScore(); }
        });
      }
    });
    if (all.length) {
      document.querySelectorAll(".course-score").forEach(function (el) {
        el.textContent = MSG.score(0, 0, all.length);
      });
    }
    window.courseQuiz = { answers: answers, restore: restore, summary: summary };
    document.dispatchEvent(new CustomEvent("course:quiz-ready"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
