/* WalkWell guided walk: a timer that survives reloads (localStorage), keeps the
   screen awake where the browser allows (Wake Lock API), and gives spoken and
   visual cues. No framework, no build step.

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
    running: $("walk-running"), status: $("walk-status")
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

  /* --- spoken and visual cues --------------------------------------------- */
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

  function cueTick(ms) {
    var minutes = ms / 60000;
    var slot = Math.floor(minutes / cfg.cueEveryMinutes);
    var iv = intervalAt(minutes);
    if (iv) {
      ui.interval.textContent = (iv.kind === "brisk" ? "Brisk" : "Slow") + ": " + fmt(iv.left * 60000) + " left in this stretch";
      if (iv.index !== state.lastInterval) {
        state.lastInterval = iv.index;
        say(iv.kind === "brisk" ? "Brisk for " + iv.length + " minutes." : "Slow for " + iv.length + " minute" + (iv.length === 1 ? "." : "s."));
        save();
        return;
      }
    }
    if (slot !== state.lastCue && cfg.cues.length) {
      state.lastCue = slot;
      say(cfg.cues[slot % cfg.cues.length]);
      save();
    }
  }

  /* --- screen wake lock --------------------------------------------------- */
  var lock = null;
  function keepAwake() {
    if (!("wakeLock" in navigator) || lock) { return; }
    navigator.wakeLock.request("screen").then(function (l) {
      lock = l;
      lock.addEventListener("release", function () { lock = null; });
    }).catch(function () { /* not allowed now: the timer still runs */ });
  }
  function letSleep() { if (lock) { lock.release(); lock = null; } }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && (state.status === "walking" || state.status === "cooldown")) { keepAwake(); }
  });

  /* --- flow ------------------------------------------------------------------ */
  function show(el, on) { if (el) { el.hidden = !on; } }

  function render() {
    var ms = elapsedMs();
    var target = cfg.minutes * 60000;
    ui.clock.textContent = fmt(ms);
    var walking = state.status === "walking" || state.status === "paused";
    show(ui.start, state.status === "ready");
    show(ui.running, walking);
    show(ui.why, state.status === "stopped");
    show(ui.cooldown, state.status === "cooldown");
    show(ui.reset, state.status !== "ready");
    if (state.status === "ready") {
      ui.stage.textContent = "Ready: " + cfg.minutes + " minutes planned";
    } else if (walking) {
      ui.stage.textContent = (state.status === "paused" ? "Paused at " : "Walking: ") + fmt(ms) + " of " + fmt(target);
      ui.pause.textContent = state.status === "paused" ? "Resume" : "Pause";
      if (state.status === "walking") {
        cueTick(ms);
        if (ms >= target) { finishWalk(""); }
      }
    } else if (state.status === "stopped") {
      ui.stage.textContent = "Stopped at " + fmt(state.walkedMs);
    } else if (state.status === "cooldown") {
      var left = cfg.cooldownMinutes * 60000 - (now() - state.cooldownAt) * SPEED;
      ui.cooldownClock.textContent = fmt(left);
      ui.stage.textContent = "Cooldown";
      if (left <= 0) { openLog(true); }
    }
  }

  function start() {
    state = load();
    state.status = "walking";
    state.startedAt = now();
    save();
    keepAwake();
    say("Let's walk. " + (cfg.cues[0] || ""));
    state.lastCue = 0;
    save();
    render();
  }

  function togglePause() {
    if (state.status === "walking") {
      state.status = "paused";
      state.pausedAt = now();
      letSleep();
    } else if (state.status === "paused") {
      state.pausedMs += now() - state.pausedAt;
      state.status = "walking";
      keepAwake();
    }
    save();
    render();
  }

  function finishWalk(reason) {
    state.walkedMs = elapsedMs();
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

  function openLog(cooledDown) {
    if (state.status === "done") { return; }
    state.status = "done";
    save();
    letSleep();
    var q = new URLSearchParams();
    q.set("minutes", String(Math.max(1, Math.round(state.walkedMs / 60000))));
    q.set("terrain", cfg.terrain);
    q.set("pace", cfg.pace);
    q.set("cooldown", cooledDown ? "1" : "0");
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
  ui.skipCooldown.addEventListener("click", function () { openLog(false); });
  ui.endCooldown.addEventListener("click", function () { openLog(true); });
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
  if (SPEED !== 1) { notes.push("Clock running " + SPEED + " times faster than real time."); }
  ui.status.textContent = notes.join(" ");
  render();
  window.setInterval(render, 250);
})();
