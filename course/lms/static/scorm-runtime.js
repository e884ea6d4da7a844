/* SCORM run-time of a module page (SCORM 1.2 or 2004 4th edition), local, no library.
 *
 * Configured by its own <script> tag: data-scorm="1.2" | "2004", data-mastery="80" (%).
 * - finds the LMS API (window.API / window.API_1484_11) in the parent frames, then in the
 *   opener's; without an LMS it does nothing and the page works as on the web site;
 * - completion: the learner reaches the end of the page (a sentinel after the content comes
 *   into view) OR has checked every question of the page;
 * - score: from the "course:quiz" events of course-quiz.js, as a percentage of the page's
 *   questions answered correctly (raw/min/max 0-100; scaled 0-1 in 2004);
 * - success, once every question has been checked: score >= mastery score (the LMS's value
 *   if it gives one: cmi.student_data.mastery_score / cmi.scaled_passing_score);
 * - bookmark: the section in view (location) and the checked answers (suspend_data, at most
 *   4096 characters in 1.2), restored on the next launch;
 * - session time in each version's format; Commit after each change; Terminate/LMSFinish
 *   once, on pagehide (or beforeunload), with exit "suspend" until the module is finished.
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
    finish: "Terminate", error: "GetLastError",
    location: "cmi.location", suspend: "cmi.suspend_data", entry: "cmi.entry",
    exit: "cmi.exit", time: "cmi.session_time", raw: "cmi.score.raw", min: "cmi.score.min",
    max: "cmi.score.max", mastery: "cmi.scaled_passing_score"
  } : {
    init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
    finish: "LMSFinish", error: "LMSGetLastError",
    location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", entry: "cmi.core.entry",
    exit: "cmi.core.exit", time: "cmi.core.session_time", raw: "cmi.core.score.raw",
    min: "cmi.core.score.min", max: "cmi.core.score.max", mastery: "cmi.student_data.mastery_score"
  };

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
  function set(element, value) {
    var result = call(M.set, element, String(value));
    if (result !== "true") {
      console.warn("SCORM : " + element + " = " + value + " refusé (erreur " +
        call(M.error) + ")");
    }
    return result === "true";
  }
  function commit() { call(M.commit); }

  if (call(M.init) !== "true") {
    console.warn("SCORM : initialisation refusée (erreur " + call(M.error) + ")");
    return;
  }

  var started = Date.now();
  var state = { end: false, correct: 0, checked: 0, total: 0, section: "", finished: false };
  var lmsMastery = parseFloat(get(M.mastery));
  var mastery = isNaN(lmsMastery) ? MASTERY : (V2004 ? lmsMastery * 100 : lmsMastery);

  function questions() { return document.querySelectorAll("fieldset.course-question"); }
  function round(value, digits) { var f = Math.pow(10, digits); return Math.round(value * f) / f; }

  /* -- status and score -- */
  function completed() {
    return state.end || (state.total > 0 && state.checked >= state.total);
  }
  function report() {
    var total = state.total, allChecked = total > 0 && state.checked >= total;
    var pct = total ? round(100 * state.correct / total, 2) : null;
    var passed = pct !== null && pct >= mastery;
    if (pct !== null && state.checked > 0) {
      set(M.min, 0); set(M.max, 100); set(M.raw, pct);
      if (V2004) { set("cmi.score.scaled", round(state.correct / total, 4)); }
    }
    if (V2004) {
      set("cmi.completion_status", completed() ? "completed" : "incomplete");
      if (allChecked) { set("cmi.success_status", passed ? "passed" : "failed"); }
    } else {
      var status = allChecked ? (passed ? "passed" : "failed")
        : (completed() ? "completed" : "incomplete");
      var previous = get("cmi.core.lesson_status");
      if (status !== "incomplete" || !/^(passed|completed|failed)$/.test(previous)) {
        set("cmi.core.lesson_status", status);
      }
    }
  }

  /* -- bookmark: section in view + checked answers -- */
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
  function bookmark() {
    var data = JSON.stringify({ v: 1, fin: state.end ? 1 : 0, r: answers() });
    if (data.length > SUSPEND_MAX) { data = JSON.stringify({ v: 1, fin: state.end ? 1 : 0 }); }
    set(M.suspend, data);
    if (state.section) { set(M.location, state.section.slice(0, LOCATION_MAX)); }
  }
  function restore() {
    var saved = null;
    try { saved = JSON.parse(get(M.suspend) || "null"); } catch (e) { saved = null; }
    if (saved && typeof saved === "object") {
      state.end = saved.fin === 1;
      Object.keys(saved.r || {}).forEach(function (id) {
        var q = document.getElementById(id);
        if (!q || !q.classList.contains("course-question")) { return; }
        q.querySelectorAll("input").forEach(function (input) {
          input.checked = (saved.r[id] || []).indexOf(Number(input.value)) >= 0;
        });
        var button = q.querySelector("button.course-check");
        if (button) { button.click(); }  /* course-quiz.js checks it and emits course:quiz */
      });
    }
    var location = get(M.location);
    var target = location && document.getElementById(location);
    if (target) { state.section = location; target.scrollIntoView(); }
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
    bookmark();
    set(M.time, sessionTime());
    set(M.exit, completed() ? (V2004 ? "normal" : "") : "suspend");
    commit();
    call(M.finish);
  }

  /* -- wiring -- */
  state.total = questions().length;
  var main = document.querySelector("[role=main]") || document.querySelector("main") ||
    document.body;
  var sentinel = document.createElement("div");
  sentinel.className = "course-scorm-fin";
  sentinel.setAttribute("aria-hidden", "true");
  sentinel.style.height = "1px";
  main.appendChild(sentinel);

  document.addEventListener("course:quiz", function (event) {
    var d = event.detail || {};
    state.correct = d.correct || 0; state.checked = d.checked || 0;
    state.total = d.total || state.total;
    report(); bookmark(); commit();
  });

  restore();
  report();
  commit();

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

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !state.finished) { bookmark(); commit(); }
  });
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
  if (!("onpagehide" in window)) { window.addEventListener("unload", finish); }
  window.courseScorm = { version: V2004 ? "2004" : "1.2", finish: finish, state: state };
})();
