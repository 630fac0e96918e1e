{% load static %}/* The mentor's pages without signal. Static files are cached when the worker installs; the Today and week
   pages each time they are opened with a network, and shown from the cache when there is none. Saves are not
   this worker's business: the page keeps them in its outbox (static/js/outbox.js) and sends them itself. */
"use strict";
var VERSION = "{{ version }}";
var STATIC_CACHE = "static-" + VERSION;
var PAGES_CACHE = "pages-" + VERSION;
var STATIC_FILES = {{ static_files|safe }};
var PAGES = {{ pages|safe }};
var LOGOUT = {{ logout|safe }};
var STATIC_PREFIX = "{% get_static_prefix %}";
var OFFLINE_PAGE = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
  "<title>{{ offline_title|escapejs }}</title><p>{{ offline_text|escapejs }}</p>";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(STATIC_FILES); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== STATIC_CACHE && name !== PAGES_CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function isPage(url) {
  return PAGES.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; });
}

function fromNetworkKeeping(request) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(PAGES_CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  });
}

function fromCache(request) {
  return caches.open(PAGES_CACHE).then(function (cache) {
    return cache.match(request).then(function (found) {
      return found || cache.match(request, {ignoreSearch: true});
    });
  }).then(function (found) {
    return found || new Response(OFFLINE_PAGE, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method !== "GET") {
    if (url.pathname === LOGOUT) {  // what the last user saw stays on nobody's phone
      event.waitUntil(caches.delete(PAGES_CACHE));
    }
    return;
  }
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(caches.match(request).then(function (found) { return found || fetch(request); }));
  } else if (isPage(url) && request.headers.get("HX-Request") === null) {
    event.respondWith(fromNetworkKeeping(request).catch(function () { return fromCache(request); }));
  }
});
