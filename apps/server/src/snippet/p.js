/* Leadflow website snippet (docs/tracking.md). Plain ES2017, no dependencies.
   <script async src="https://leadflow.example/t/p.js" data-site-key="KEY"></script> */
(function () {
  "use strict";
  var w = window, d = document, n = navigator;
  var script = d.currentScript || d.querySelector("script[data-site-key]");
  if (!script || w.__leadflowLoaded) return;
  w.__leadflowLoaded = true;
  var key = script.getAttribute("data-site-key");
  var endpoint = new URL(script.src, location.href).origin + "/t/e";
  var QUEUE = "lf_queue", AID = "lf_aid", MAX_BATCH = 50, MAX_BODY = 48000;
  var consent = !(w.leadflowConsent === false || script.getAttribute("data-consent") === "pending");
  var dnt = n.doNotTrack === "1" || w.doNotTrack === "1" || n.globalPrivacyControl === true;
  var queue = [], timer = 0, aid = null, lastUrl = null;

  function allowed() {
    return !dnt && consent && w.leadflowConsent !== false && !!key;
  }
  function load(k) {
    try { return localStorage.getItem(k); } catch (e) { return null; }
  }
  function save(k, v) {
    try { if (v === null) localStorage.removeItem(k); else localStorage.setItem(k, v); } catch (e) { /* storage refused: memory only */ }
  }
  function rid() {
    if (w.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16), s = "";
    crypto.getRandomValues(b);
    for (var i = 0; i < 16; i++) s += (b[i] + 256).toString(16).slice(1);
    return s;
  }
  function readCookie() {
    var m = d.cookie.match(/(?:^|;\s*)lf_aid=([\w-]{8,64})/);
    return m ? m[1] : null;
  }
  // the broadest domain the browser accepts (shop.example.com -> example.com), so subdomains share the id
  function writeCookie(id) {
    var tail = "=" + id + "; Max-Age=31536000; Path=/; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
    var host = location.hostname, parts = host.split(".");
    if (!/^[\d.]+$|:/.test(host)) {
      for (var i = parts.length - 2; i > 0; i--) {
        d.cookie = AID + tail + "; Domain=" + parts.slice(i).join(".");
        if (readCookie() === id) return;
      }
    }
    d.cookie = AID + tail;
  }
  function anonymousId() {
    if (!aid) {
      aid = readCookie() || load(AID) || rid();
      writeCookie(aid);
      save(AID, aid);
    }
    return aid;
  }
  function clip(props) {
    var out = {};
    for (var k in props) {
      if (!Object.prototype.hasOwnProperty.call(props, k)) continue;
      var v = props[k];
      out[k] = typeof v === "string" ? v.slice(0, 2000) : v;
    }
    return out;
  }
  function send(type, props, email) {
    if (!allowed()) return;
    var e = { id: rid(), type: type, anonymousId: anonymousId(), properties: clip(props || {}), occurredAt: new Date().toISOString() };
    if (email) e.email = email;
    queue.push(e);
    clearTimeout(timer);
    timer = setTimeout(flush, 500, false);
  }
  function stored() {
    try { return JSON.parse(load(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function keep(events) {
    save(QUEUE, JSON.stringify(stored().concat(events).slice(-200)));
  }
  function drop(events) {
    var sent = {};
    events.forEach(function (e) { sent[e.id] = 1; });
    var left = stored().filter(function (e) { return !sent[e.id]; });
    save(QUEUE, left.length ? JSON.stringify(left) : null);
  }
  // Kept in storage until the server answers, and sent again from the next page if it did not:
  // at least once, and the event ids make a second delivery a counted duplicate, not a second event.
  function post(events, unloading) {
    var body = JSON.stringify({ siteKey: key, events: events });
    // text/plain is a "simple" request: no CORS preflight; sendBeacon survives the page closing
    if (unloading && n.sendBeacon && n.sendBeacon(endpoint, body)) return;
    keep(events);
    if (!w.fetch) return;
    fetch(endpoint, { method: "POST", body: body, keepalive: true, mode: "no-cors", credentials: "omit", headers: { "content-type": "text/plain" } })
      .then(function () { drop(events); }, function () { /* kept for the next page */ });
  }
  function flush(unloading) {
    clearTimeout(timer);
    if (!allowed()) { queue = []; return; }
    while (queue.length) {
      var batch = [], size = 0;
      while (queue.length && batch.length < MAX_BATCH) {
        var len = JSON.stringify(queue[0]).length;
        if (batch.length && size + len > MAX_BODY) break;
        size += len;
        batch.push(queue.shift());
      }
      post(batch, unloading === true);
    }
  }
  function pageView() {
    var url = location.href;
    if (url === lastUrl) return;
    var p = { url: url, path: location.pathname, title: d.title, referrer: lastUrl || d.referrer };
    new URL(url).searchParams.forEach(function (v, k) { if (/^utm_/.test(k)) p[k] = v; });
    lastUrl = url;
    send("page_view", p);
  }
  function onSubmit(ev) {
    var f = ev.target;
    if (!f || !f.hasAttribute || !f.hasAttribute("data-leadflow-form")) return;
    var props = { formId: f.id || f.getAttribute("name") || "", url: location.href, path: location.pathname }, email = null;
    for (var i = 0; i < f.elements.length; i++) {
      var el = f.elements[i], name = el.name || el.id, type = (el.type || "").toLowerCase();
      if (!name || el.disabled || /^(password|hidden|file|submit|button|reset|image)$/.test(type)) continue;
      if (/pass|token|csrf|xsrf|card|cvc|cvv|ssn|secret|iban/i.test(name)) continue;
      if ((type === "checkbox" || type === "radio") && !el.checked) continue;
      var v = String(el.value || "").trim();
      if (!email && (type === "email" || /email/i.test(name)) && /^[^@\s]+@[^@\s]+$/.test(v)) { email = v; continue; }
      if (v) props[name] = v;
    }
    send("form_submit", props, email);
    flush(true);
  }
  function patch(method) {
    var original = history[method];
    history[method] = function () {
      var r = original.apply(this, arguments);
      setTimeout(pageView, 0);
      return r;
    };
  }

  var api = {
    track: function (type, props) { send(String(type), props); },
    identify: function (email, traits) { if (email) send("identify", traits, String(email).trim()); },
    page: pageView,
    flush: function () { flush(false); },
    consent: function (yes) {
      consent = yes !== false;
      w.leadflowConsent = consent;
      if (consent) { lastUrl = null; pageView(); } else queue = [];
    }
  };
  var early = Array.isArray(w.leadflow) ? w.leadflow : [];
  w.leadflow = api;
  api.push = function (call) { if (call && api[call[0]]) api[call[0]].apply(api, call.slice(1)); };

  if (allowed()) {
    queue = stored();
    save(QUEUE, null);
  }
  patch("pushState");
  patch("replaceState");
  w.addEventListener("popstate", pageView);
  d.addEventListener("submit", onSubmit, true);
  d.addEventListener("visibilitychange", function () { if (d.visibilityState === "hidden") flush(true); });
  w.addEventListener("pagehide", function () { flush(true); });
  for (var i = 0; i < early.length; i++) api.push(early[i]);
  pageView();
})();
