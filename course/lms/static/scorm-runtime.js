/* SCORM run-time of a module page (SCORM 1.2 or 2004 4th edition), local, no library.
 *
 * Configured by its own <script> tag: data-scorm="1.2" | "2004", data-mastery="80" (%).
 * - finds the LMS API (window.API / window.API_1484_11) in the parent frames, then in the
 *   opener's; without an LMS it does nothing and the page works as on the web site;
 * - one order of initialisation: Initialize, read the mode, the saved state and the mastery
 *   score; wait until course-quiz.js has wired the questions ("course:quiz-ready"); restore
 *   and re-check the saved answers; apply the saved location without animation; then report;
 * - review or browse mode (Moodle re-opens a finished attempt in review mode and still stores
 *   what the SCO sends): the page shows the saved answers, writes nothing and does not
 *   Terminate (see finish());
 * - completion: a module with questions is completed when every question has been checked;
 *   a module without questions when the learner reaches the end of the page;
 * - score: sent only once every question has been checked (percentage of right answers,
 *   raw/min/max 0-100, scaled 0-1 in 2004), so that an LMS rule such as Moodle's « mastery
 *   score overrides status » never fails a learner who simply has not finished;
 * - success: score >= mastery score (the LMS's value when it gives one:
 *   cmi.student_data.mastery_score / cmi.scaled_passing_score);
 * - objectives: the same, per learning objective, from the questions that assess it
 *   (cmi.objectives.n, see reportObjectives());
 * - nothing is ever downgraded within an attempt: the best complete score is kept, passed
 *   stays passed, completed stays completed;
 * - bookmark: the section in view (location) and the checked answers (suspend_data, at most
 *   4096 characters in 1.2); a bookmark never holds fewer answers than were restored;
 * - session time in each version's format; Commit after each change; Terminate/LMSFinish
 *   once, on pagehide (or beforeunload), with exit "suspend" (normal mode only; see
 *   finish()).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var V2004 = !!script && script.getAttribute("data-scorm") === "2004";
  var MASTERY = parseFloat(script && script.getAttribute("data-mastery"));
  if (isNaN(MASTERY)) { MASTERY = 80; }
  var NAME = V2004 ? "API_1484_11" : "API";
  var SUSPEND_MAX = V2004 ? 64000 : 4096;
  var LOCATION_MAX = V2004 ? 1000 : 255;
  var M = V2004 ? {
    init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
    finish: "Terminate", error: "GetLastError", mode: "cmi.mode",
    location: "cmi.location", suspend: "cmi.suspend_data",
    exit: "cmi.exit", time: "cmi.session_time", raw: "cmi.score.raw", min: "cmi.score.min",
    max: "cmi.score.max", mastery: "cmi.scaled_passing_score"
  } : {
    init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
    finish: "LMSFinish", error: "LMSGetLastError", mode: "cmi.core.lesson_mode",
    location: "cmi.core.lesson_location", suspend: "cmi.suspend_data",
    exit: "cmi.core.exit", time: "cmi.core.session_time", raw: "cmi.core.score.raw",
    min: "cmi.core.score.min", max: "cmi.core.score.max", mastery: "cmi.student_data.mastery_score"
  };
  /* SCORM 1.2 lesson_status, ranked: a status is only ever replaced by one of higher rank. */
  var RANK = { "": 0, "not attempted": 0, browsed: 0, incomplete: 1, completed: 2, failed: 2,
    passed: 3 };

  /* -- API discovery (ADL algorithm; cross-origin frames are skipped, not fatal) -- */
  function scan(win) {
    for (var hops = 0; win && hops < 500; hops += 1) {
      try { if (win[NAME]) { return win[NAME]; } } catch (e) { /* cross-origin frame */ }
      var parent = null;
      try { parent = win.parent; } catch (e2) { parent = null; }
      if (!parent || parent === win) { break; }
      win = parent;
    }
    return null;
  }
  function findAPI() {
    var api = scan(window);
    try { if (!api && window.opener) { api = scan(window.opener); } } catch (e) { /* closed */ }
    try {
      if (!api && window.top && window.top.opener) { api = scan(window.top.opener); }
    } catch (e2) { /* cross-origin */ }
    return api;
  }

  var api = findAPI();
  document.documentElement.setAttribute("data-course-scorm", api ? "lms" : "sans-lms");
  if (!api) { return; }

  function call(method, a, b) {
    try { return String(api[method](a === undefined ? "" : a, b)); } catch (e) { return "false"; }
  }
  function get(element) { return call(M.get, element); }
  var sent = {};  /* last value written per element: nothing is sent twice */
  function set(element, value) {
    value = String(value);
    if (sent[element] === value) { return true; }
    var result = call(M.set, element, value);
    if (result !== "true") {
      console.warn("SCORM : " + element + " = " + value + " refusé (erreur " +
        call(M.error) + ")");
      return false;
    }
    sent[element] = value;
    return true;
  }
  function commit() { if (writable) { call(M.commit); } }

  if (call(M.init) !== "true") {
    console.warn("SCORM : initialisation refusée (erreur " + call(M.error) + ")");
    return;
  }

  /* -- what the LMS holds at launch -- */
  var started = Date.now();
  var mode = get(M.mode);
  var writable = mode !== "review" && mode !== "browse";
  var lmsMastery = parseFloat(get(M.mastery));
  var mastery = isNaN(lmsMastery) ? MASTERY : (V2004 ? lmsMastery * 100 : lmsMastery);
  var prior = V2004 ? {
    completion: get("cmi.completion_status"), success: get("cmi.success_status")
  } : { status: get("cmi.core.lesson_status") };
  var priorRaw = parseFloat(get(M.raw));
  var state = {
    end: false, correct: 0, checked: 0, total: 0, section: "", finished: false, ready: false,
    best: isNaN(priorRaw) ? null : priorRaw, restored: {}, mode: mode || "normal"
  };

  function questions() { return document.querySelectorAll("fieldset.course-question"); }
  function round(value, digits) { var f = Math.pow(10, digits); return Math.round(value * f) / f; }

  /* -- status and score -- */
  function allChecked() { return state.total > 0 && state.checked >= state.total; }
  function completed() { return state.total > 0 ? allChecked() : state.end; }
  function report() {
    if (!writable || !state.ready) { return; }
    reportObjectives();
    if (allChecked()) {
      var pct = round(100 * state.correct / state.total, 2);
      if (state.best === null || pct > state.best) { state.best = pct; }
    }
    if (allChecked()) {
      set(M.min, 0); set(M.max, 100); set(M.raw, state.best);
      if (V2004) { set("cmi.score.scaled", round(state.best / 100, 4)); }
    }
    var passed = state.best !== null && state.best >= mastery;
    if (V2004) {
      if (completed() || prior.completion === "completed") {
        set("cmi.completion_status", "completed");
      } else {
        set("cmi.completion_status", "incomplete");
      }
      if (allChecked()) {
        set("cmi.success_status",
          passed || prior.success === "passed" ? "passed" : "failed");
      }
    } else {
      var status = allChecked() ? (passed ? "passed" : "failed")
        : (completed() ? "completed" : "incomplete");
      var previous = sent["cmi.core.lesson_status"] || prior.status || "";
      if ((RANK[status] || 0) >= (RANK[previous] || 0)) {
        set("cmi.core.lesson_status", status);
      }
    }
  }

  /* -- objectives: each question names the objectives it assesses (data-objectifs); once
   * all the questions of an objective are checked, its score and success are reported in
   * cmi.objectives.n (1.2: score and status; 2004: score, success and completion), the
   * best result kept. The LMS may already hold objectives (Moodle: the manifest's). -- */
  var objectives = {}, objectiveIndex = {}, objectiveBest = {};
  function readObjectives() {
    questions().forEach(function (q) {
      (q.getAttribute("data-objectifs") || "").split(/\s+/).forEach(function (id) {
        if (id) { (objectives[id] = objectives[id] || []).push(q); }
      });
    });
    if (!Object.keys(objectives).length) { return; }
    var count = parseInt(get("cmi.objectives._count"), 10) || 0;
    for (var n = 0; n < count; n += 1) {
      var id = get("cmi.objectives." + n + ".id");
      objectiveIndex[id] = n;
      var raw = parseFloat(get("cmi.objectives." + n + ".score.raw"));
      if (objectives[id] && !isNaN(raw)) { objectiveBest[id] = raw; }
    }
    objectiveIndex._count = count;
  }
  function reportObjectives() {
    Object.keys(objectives).forEach(function (id) {
      var qs = objectives[id], right = 0;
      if (qs.some(function (q) { return !q.dataset.state; })) { return; }
      qs.forEach(function (q) { if (q.dataset.state === "correct") { right += 1; } });
      var pct = round(100 * right / qs.length, 2);
      if (objectiveBest[id] === undefined || pct > objectiveBest[id]) { objectiveBest[id] = pct; }
      var best = objectiveBest[id], n = objectiveIndex[id];
      if (n === undefined) {
        n = objectiveIndex._count;
        if (!set("cmi.objectives." + n + ".id", id)) { return; }
        objectiveIndex[id] = n; objectiveIndex._count = n + 1;
      }
      var base = "cmi.objectives." + n + ".", success = best >= mastery ? "passed" : "failed";
      set(base + "score.min", 0); set(base + "score.max", 100); set(base + "score.raw", best);
      if (V2004) {
        set(base + "score.scaled", round(best / 100, 4));
        set(base + "success_status", success);
        set(base + "completion_status", "completed");
      } else {
        set(base + "status", success);
      }
    });
  }

  /* -- bookmark: section in view + checked answers (never fewer than were restored) -- */
  function answers() {
    var saved = {}, now = window.courseQuiz ? window.courseQuiz.answers() : {};
    Object.keys(state.restored).forEach(function (id) { saved[id] = state.restored[id]; });
    Object.keys(now).forEach(function (id) { saved[id] = now[id]; });
    return saved;
  }
  function bookmark() {
    if (!writable || !state.ready) { return; }
    var data = JSON.stringify({ v: 1, fin: state.end ? 1 : 0, r: answers() });
    if (data.length > SUSPEND_MAX) { data = JSON.stringify({ v: 1, fin: state.end ? 1 : 0 }); }
    set(M.suspend, data);
    if (state.section) { set(M.location, state.section.slice(0, LOCATION_MAX)); }
  }
  function savedState() {
    var saved = null;
    try { saved = JSON.parse(get(M.suspend) || "null"); } catch (e) { saved = null; }
    return saved && typeof saved === "object" ? saved : {};
  }

  /* The theme scrolls smoothly (scroll-behavior: smooth): an animated scroll started this
   * early never lands, so the saved section is shown at once. */
  function showSection(target) {
    var root = document.documentElement, before = root.style.scrollBehavior;
    root.style.scrollBehavior = "auto";
    try { target.scrollIntoView({ behavior: "instant", block: "start" }); } catch (e) {
      target.scrollIntoView(true);
    }
    root.style.scrollBehavior = before;
  }

  /* -- session time: 1.2 HHHH:MM:SS.SS, 2004 ISO 8601 duration -- */
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function sessionTime() {
    var cs = Math.max(0, Math.round((Date.now() - started) / 10));
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60;
    var s = Math.floor(cs / 100) % 60, c = cs % 100;
    if (V2004) {
      return "PT" + (h ? h + "H" : "") + (h || m ? m + "M" : "") + s +
        (c ? "." + pad(c) : "") + "S";
    }
    if (h > 9999) { h = 9999; m = 59; s = 59; c = 99; }
    return pad(h) + ":" + pad(m) + ":" + pad(s) + "." + pad(c);
  }

  function finish() {
    if (state.finished) { return; }
    state.finished = true;
    if (writable && state.ready) {
      report();
      bookmark();
      set(M.time, sessionTime());
      /* always "suspend", even once completed: only then must the LMS hand the saved
       * answers back at the next launch (SCORM 2004 RTE 4.2.8; Moodle follows it). With
       * "normal", Moodle 5.0 re-launched a finished SCO of a multi-module 2004 package with
       * an empty data model, and the page then stored "incomplete" over "completed".
       * Completion and success, not exit, say that the module is done. */
      set(M.exit, "suspend");
      commit();
      call(M.finish);
    }
    /* review/browse: no Terminate either. Moodle 5.0 stores at Terminate a total time it
     * computes itself, and in SCORM 2004 review mode it starts from PT0H0M0S, not from the
     * stored total: the learner's total time would be replaced by the review's. */
  }

  /* -- start, once the quiz (if any) is wired -- */
  var main = document.querySelector("[role=main]") || document.querySelector("main") ||
    document.body;
  var interacted = false;
  ["keydown", "pointerdown", "wheel", "touchstart"].forEach(function (type) {
    window.addEventListener(type, function () { interacted = true; }, { passive: true });
  });

  function start() {
    if (state.ready) { return; }
    state.ready = true;
    var saved = savedState();
    state.end = saved.fin === 1;
    state.restored = saved.r && typeof saved.r === "object" ? saved.r : {};
    state.total = questions().length;
    if (writable) { readObjectives(); }
    if (window.courseQuiz) {
      window.courseQuiz.restore(state.restored);  /* ticks and re-checks every saved answer */
      var s = window.courseQuiz.summary();
      state.correct = s.correct; state.checked = s.checked; state.total = s.total;
      document.addEventListener("course:quiz", function (event) {
        var d = event.detail || {};
        state.correct = d.correct || 0; state.checked = d.checked || 0;
        state.total = d.total || state.total;
        report(); bookmark(); commit();
      });
    }
    var location = get(M.location);
    var target = location && document.getElementById(location);
    if (target) {
      state.section = location;
      showSection(target);
      /* images above it may still change the layout: show it again at load, unless the
       * learner has moved meanwhile */
      if (document.readyState !== "complete") {
        window.addEventListener("load", function () { if (!interacted) { showSection(target); } });
      }
    }
    report(); bookmark(); commit();
    watch();
  }

  function watch() {
    var sentinel = document.createElement("div");
    sentinel.className = "course-scorm-fin";
    sentinel.setAttribute("aria-hidden", "true");
    sentinel.style.height = "1px";
    main.appendChild(sentinel);
    if ("IntersectionObserver" in window) {
      new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; }) && !state.end) {
          state.end = true; report(); bookmark(); commit();
        }
      }).observe(sentinel);
      var sections = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) { if (e.isIntersecting) { state.section = e.target.id; } });
      }, { rootMargin: "0px 0px -70% 0px" });
      main.querySelectorAll("section[id]").forEach(function (s) { sections.observe(s); });
    } else {
      state.end = true; report(); commit();  /* old browser: reading counts as done */
    }
  }

  if (!questions().length || window.courseQuiz) {
    start();
  } else {
    document.addEventListener("course:quiz-ready", start);
    /* by "load" every deferred script has run: a page whose quiz script is missing still
     * reports its reading */
    window.addEventListener("load", start);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !state.finished) { bookmark(); commit(); }
  });
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
  if (!("onpagehide" in window)) { window.addEventListener("unload", finish); }
  window.courseScorm = { version: V2004 ? "2004" : "1.2", finish: finish, state: state };
})();
