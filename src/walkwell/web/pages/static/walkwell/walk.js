/* WalkWell guided walk: a timer that survives reloads (localStorage), keeps the
   screen awake where the browser allows (Wake Lock API), and gives spoken and
   visual cues. Time left is a ring (role=progressbar, with a text equivalent in
   aria-valuetext); each change of interval is said aloud and written into the
   polite live region #walk-cue, which changes only with a cue, never each second.
   No framework, no build step.

   Fast clock for tests and demos: ?speed=60 in the address, or
   window.WALKWELL_CLOCK_SPEED = 60 set before this file loads. */
(function () {
  "use strict";

  var configEl = document.getElementById("walk-config");
  if (!configEl) { return; }
  var cfg = JSON.parse(configEl.textContent);

  function clockSpeed() {
    var fromUrl = parseFloat(new URLSearchParams(window.location.search).get("speed"));
    var fromWindow = parseFloat(window.WALKWELL_CLOCK_SPEED);
    var speed = fromUrl || fromWindow || 1;
    return speed > 0 && speed <= 600 ? speed : 1;
  }

  var SPEED = clockSpeed();
  var KEY = cfg.storageKey;
  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    clock: $("walk-clock"), stage: $("walk-stage"), cue: $("walk-cue"),
    interval: $("walk-interval"), start: $("walk-start"), pause: $("walk-pause"),
    whisper: $("walk-whisper"), finish: $("walk-finish"), why: $("walk-why"),
    whyForm: $("walk-why-form"), cooldown: $("walk-cooldown"),
    cooldownClock: $("walk-cooldown-clock"), skipCooldown: $("walk-skip-cooldown"),
    endCooldown: $("walk-end-cooldown"), voice: $("walk-voice"), reset: $("walk-reset"),
    running: $("walk-running"), status: $("walk-status"),
    left: $("walk-left"), ring: $("walk-ring"), progress: $("walk-progress"),
    stretch: $("walk-stretch"), stretchBar: $("walk-stretch-bar"),
    cooldownProgress: $("walk-cooldown-progress"), cooldownBar: $("walk-cooldown-bar"),
    awake: $("walk-awake")
  };

  function now() { return Date.now(); }

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "null");
      if (saved && saved.version === 1) { return saved; }
    } catch (e) { /* a damaged entry starts afresh */ }
    return { version: 1, status: "ready", startedAt: 0, pausedAt: 0, pausedMs: 0,
             walkedMs: 0, cooldownAt: 0, reason: "", lastCue: -1, lastInterval: -1 };
  }

  var state = load();
  function save() {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  function elapsedMs() {
    if (state.status === "ready") { return 0; }
    if (state.status !== "walking" && state.status !== "paused") { return state.walkedMs; }
    var end = state.status === "paused" ? state.pausedAt : now();
    return Math.max(0, (end - state.startedAt - state.pausedMs) * SPEED);
  }

  function fmt(ms) {
    var total = Math.max(0, Math.round(ms / 1000));
    var m = Math.floor(total / 60);
    var s = total % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  /* "9 minutes 30 seconds": the words a screen reader gives for a clock. */
  function words(ms) {
    var total = Math.max(0, Math.round(ms / 1000));
    var m = Math.floor(total / 60);
    var s = total % 60;
    var parts = [];
    if (m) { parts.push(m + (m === 1 ? " minute" : " minutes")); }
    if (s || !m) { parts.push(s + (s === 1 ? " second" : " seconds")); }
    return parts.join(" ");
  }

  /* A progressbar's value and its text equivalent, changed only when the whole
     second does (it is not a live region: nothing is announced each second). */
  function setProgress(el, doneMs, totalMs, text) {
    if (!el) { return; }
    var now = String(Math.min(Math.round(doneMs / 1000), Math.round(totalMs / 1000)));
    if (el.getAttribute("aria-valuenow") === now) { return; }
    el.setAttribute("aria-valuenow", now);
    el.setAttribute("aria-valuetext", text);
  }

  function setBar(rect, fraction) {
    if (rect) { rect.setAttribute("width", String(Math.round(Math.min(Math.max(fraction, 0), 1) * 1000) / 10)); }
  }

  /* --- spoken and visual cues --------------------------------------------- */
  /* The drawing of the move a cue speaks of, shown while that cue is current
     (cfg.cuePictures[i] names it; an interval call keeps the last one). */
  var pictures = document.querySelectorAll("#walk-picture [data-picture]");
  function showPicture(index) {
    var slug = (cfg.cuePictures || [])[index];
    if (!slug) { return; }
    for (var i = 0; i < pictures.length; i++) {
      pictures[i].hidden = pictures[i].getAttribute("data-picture") !== slug;
    }
  }

  function say(text) {
    ui.cue.textContent = text;
    if (ui.voice && ui.voice.checked && "speechSynthesis" in window) {
      try {
        window.speechSynthesis.cancel();
        window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
      } catch (e) { /* speech is a bonus */ }
    }
  }

  function intervalAt(minutes) {
    if (!cfg.intervals.length) { return null; }
    var cycle = cfg.intervals.reduce(function (a, p) { return a + p[1]; }, 0);
    var t = minutes % cycle;
    var n = Math.floor(minutes / cycle) * cfg.intervals.length;
    for (var i = 0; i < cfg.intervals.length; i++) {
      var part = cfg.intervals[i];
      if (t < part[1]) { return { kind: part[0], left: part[1] - t, index: n + i, length: part[1] }; }
      t -= part[1];
    }
    return null;
  }

  function intervalWords(iv) {
    return (iv.kind === "brisk" ? "Brisk" : "Slow") + " for " + iv.length + " minute" + (iv.length === 1 ? "." : "s.");
  }

  function cueTick(ms) {
    var minutes = ms / 60000;
    var slot = Math.floor(minutes / cfg.cueEveryMinutes);
    var iv = intervalAt(minutes);
    show(ui.stretch, !!iv);
    if (iv) {
      ui.interval.textContent = (iv.kind === "brisk" ? "Brisk" : "Slow") + ": " + fmt(iv.left * 60000) + " left in this stretch";
      ui.stretch.className = "walk-stretch " + iv.kind;
      setBar(ui.stretchBar, 1 - iv.left / iv.length);
      if (iv.index !== state.lastInterval) {
        state.lastInterval = iv.index;
        say(intervalWords(iv));
        save();
        return;
      }
    }
    if (slot !== state.lastCue && cfg.cues.length) {
      state.lastCue = slot;
      showPicture(slot % cfg.cues.length);
      say(cfg.cues[slot % cfg.cues.length]);
      save();
    }
  }

  /* --- screen wake lock ------------------------------------------------------
     Held while walking and in the cooldown; released on pause, at the end and on
     "Start over". The browser drops it when the page is hidden, so it is asked for
     again when the page is shown. Where the API is missing or refused, the timer
     still runs and the page says the screen may sleep. */
  var lock = null;
  var wantAwake = false;
  var asking = false;
  var refused = false;

  function showAwake() {
    if (!ui.awake) { return; }
    /* data-wake-lock on <html>: released, asking, held or unavailable. */
    var text = "";
    if (wantAwake && lock) {
      text = "The screen stays on while you walk.";
    } else if (wantAwake && (refused || !("wakeLock" in navigator))) {
      text = "This browser may let the screen sleep; the timer keeps running.";
    }
    ui.awake.textContent = text;
    var held = lock ? "held" : (asking ? "asking" : "unavailable");
    document.documentElement.setAttribute("data-wake-lock", wantAwake ? held : "released");
  }

  function keepAwake() {
    wantAwake = true;
    if (!("wakeLock" in navigator) || lock || asking || document.visibilityState !== "visible") {
      showAwake();
      return;
    }
    asking = true;
    navigator.wakeLock.request("screen").then(function (l) {
      asking = false;
      refused = false;
      if (!wantAwake) { l.release(); showAwake(); return; }
      lock = l;
      l.addEventListener("release", function () {
        if (lock === l) { lock = null; showAwake(); }
      });
      showAwake();
    }).catch(function () { asking = false; refused = true; showAwake(); });
  }

  function letSleep() {
    wantAwake = false;
    if (lock) {
      var held = lock;
      lock = null;
      held.release().catch(function () { /* already released */ });
    }
    showAwake();
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && wantAwake) { keepAwake(); }
  });

  /* --- flow ------------------------------------------------------------------ */
  function show(el, on) { if (el) { el.hidden = !on; } }

  function render() {
    var ms = elapsedMs();
    var target = cfg.minutes * 60000;
    var left = Math.max(0, target - ms);
    ui.clock.textContent = fmt(ms);
    ui.left.textContent = fmt(left);
    ui.ring.setAttribute("stroke-dashoffset", String(Math.round(Math.min(ms / target, 1) * 1000) / 10));
    setProgress(ui.progress, ms, target, words(left) + " left of " + cfg.minutes + " minutes");
    var walking = state.status === "walking" || state.status === "paused";
    show(ui.start, state.status === "ready");
    show(ui.running, walking);
    show(ui.why, state.status === "stopped");
    show(ui.cooldown, state.status === "cooldown");
    show(ui.reset, state.status !== "ready");
    if (!walking) { show(ui.stretch, false); }
    ui.progress.classList.toggle("paused", state.status === "paused");
    if (state.status === "ready") {
      ui.stage.textContent = "Ready: " + cfg.minutes + " minutes planned";
    } else if (walking) {
      ui.stage.textContent = state.status === "paused" ? "Paused" : "Walking";
      ui.pause.textContent = state.status === "paused" ? "Resume" : "Pause";
      if (state.status === "walking") {
        cueTick(ms);
        if (ms >= target) { finishWalk("", target); }  // a late tick adds nothing
      }
    } else if (state.status === "stopped") {
      ui.stage.textContent = "Stopped at " + fmt(state.walkedMs);
    } else if (state.status === "cooldown") {
      var total = cfg.cooldownMinutes * 60000;
      var cooldownLeft = cooldownLeftMs();
      ui.cooldownClock.textContent = fmt(cooldownLeft);
      setBar(ui.cooldownBar, 1 - cooldownLeft / total);
      setProgress(ui.cooldownProgress, total - cooldownLeft, total, words(cooldownLeft) + " left");
      ui.stage.textContent = "Cooldown";
      if (cooldownLeft <= 0) { openLog("1"); }
    }
  }

  function cooldownLeftMs() {
    return cfg.cooldownMinutes * 60000 - (now() - state.cooldownAt) * SPEED;
  }

  function start() {
    state = load();
    state.status = "walking";
    state.startedAt = now();
    save();
    keepAwake();
    var first = intervalAt(0);
    if (first) { state.lastInterval = first.index; }
    showPicture(0);
    say("Let's walk. " + (first ? intervalWords(first) : (cfg.cues[0] || "")));
    state.lastCue = 0;
    save();
    render();
  }

  function togglePause() {
    if (state.status === "walking") {
      state.status = "paused";
      state.pausedAt = now();
      letSleep();
      ui.cue.textContent = "Paused. Resume when you are ready.";
    } else if (state.status === "paused") {
      state.pausedMs += now() - state.pausedAt;
      state.status = "walking";
      keepAwake();
      ui.cue.textContent = "Walking again.";
    }
    save();
    render();
  }

  /* upTo: the plan's length when the clock ran out, so a tick that came late
     (a busy phone) does not log more than was planned. */
  function finishWalk(reason, upTo) {
    state.walkedMs = upTo === undefined ? elapsedMs() : Math.min(elapsedMs(), upTo);
    state.reason = reason;
    if (reason) {
      state.status = "stopped";
      save();
      render();
      var first = ui.whyForm.querySelector("input");
      if (first) { first.focus(); }
      return;
    }
    beginCooldown();
  }

  function beginCooldown() {
    state.status = "cooldown";
    state.cooldownAt = now();
    save();
    keepAwake();
    say(cfg.cooldownText);
    render();
    ui.cooldownClock.focus();
  }

  /* cooldown: "1" when its timer ran out, "0" when skipped, "early" when left
     before its end (the log form then asks rather than assume). */
  function openLog(cooldown) {
    if (state.status === "done") { return; }
    state.status = "done";
    save();
    letSleep();
    var q = new URLSearchParams();
    q.set("minutes", String(Math.max(1, Math.round(state.walkedMs / 60000))));
    q.set("terrain", cfg.terrain);
    q.set("pace", cfg.pace);
    q.set("cooldown", cooldown);
    q.set("from", "timer");
    if (state.reason) { q.set("stopped", state.reason); }
    (cfg.reasons[state.reason] || []).forEach(function (sign) { q.append("warning_signs", sign); });
    try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing to clear */ }
    window.location.assign(cfg.logUrl + "?" + q.toString());
  }

  ui.start.addEventListener("click", start);
  ui.pause.addEventListener("click", togglePause);
  ui.whisper.addEventListener("click", function () { finishWalk("whisper"); });
  ui.finish.addEventListener("click", function () { finishWalk(""); });
  ui.whyForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var picked = ui.whyForm.querySelector("input[name=why]:checked");
    state.reason = picked ? picked.value : "whisper";
    save();
    beginCooldown();
  });
  ui.skipCooldown.addEventListener("click", function () { openLog("0"); });
  ui.endCooldown.addEventListener("click", function () {
    openLog(cooldownLeftMs() <= 0 ? "1" : "early");
  });
  ui.reset.addEventListener("click", function () {
    try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing to clear */ }
    state = load();
    letSleep();
    render();
  });

  var notes = [];
  if (state.status === "walking" || state.status === "cooldown") {
    keepAwake();
    notes.push("Your walk carried on while the page was closed.");
  }
  showAwake();
  if (state.lastCue >= 0 && cfg.cues.length) { showPicture(state.lastCue % cfg.cues.length); }
  if (SPEED !== 1) { notes.push("Clock running " + SPEED + " times faster than real time."); }
  ui.status.textContent = notes.join(" ");
  render();
  window.setInterval(render, 250);
})();
