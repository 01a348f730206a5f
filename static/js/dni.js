/* comarketing dynamic number insertion: <script src="<base>/dni.js" data-default="+7 (495) 000-00-00">
   Reads the cmclid of the page's address, asks <base>/dni/number for the number held for that
   click and shows it instead of the default: in elements marked data-dni, in tel: links to the
   default number and in text that spells it. No dependencies, no inline code, no cookies. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) { return; }
  var fallback = script.getAttribute("data-default") || "";
  var base = new URL(script.src, document.baseURI).origin;
  var cmclid = new URLSearchParams(window.location.search).get("cmclid");
  var REFRESH_MS = 5 * 60 * 1000; // keeps the number held while the page stays open
  if (!cmclid) { return; }

  function digits(text) { return String(text).replace(/\D/g, ""); }

  // The new number in the default's own layout: each digit of the template gets the next digit.
  function styled(number) {
    var wanted = digits(number), template = fallback;
    if (digits(template).length !== wanted.length) { return number; }
    var index = 0;
    return template.replace(/\d/g, function () { return wanted.charAt(index++); });
  }

  function swap(number) {
    var shown = styled(number), old = digits(fallback), i;
    var marked = document.querySelectorAll("[data-dni]");
    for (i = 0; i < marked.length; i++) { marked[i].textContent = shown; }
    var links = document.querySelectorAll('a[href^="tel:"]');
    for (i = 0; i < links.length; i++) {
      if (old && digits(links[i].getAttribute("href")) === old) {
        links[i].setAttribute("href", "tel:" + number);
      }
    }
    if (!fallback) { return; }
    var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    var node, found = [];
    while ((node = walker.nextNode())) {
      if (node.nodeValue.indexOf(fallback) !== -1) { found.push(node); }
    }
    for (i = 0; i < found.length; i++) {
      found[i].nodeValue = found[i].nodeValue.split(fallback).join(shown);
    }
    fallback = shown;
  }

  function ask() {
    var url = base + "/dni/number?cmclid=" + encodeURIComponent(cmclid);
    return fetch(url, { credentials: "omit", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.number) { swap(answer.number); }
        return answer;
      })
      .catch(function () { return null; }); // the default number stays: the page still works
  }

  function start() {
    ask().then(function (answer) {
      if (!answer) { return; }
      window.setInterval(function () {
        if (document.visibilityState === "visible") { ask(); }
      }, REFRESH_MS);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
