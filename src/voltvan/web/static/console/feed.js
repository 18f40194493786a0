/* voltvan fleet console: reads a Server-Sent Events stream with fetch, because EventSource
 * cannot send the Authorization header. Calls on.event(name, data) per event, on.denied(text)
 * for 401/403, on.lost(text) when the stream fails or ends (not when it was aborted). */
(function () {
  "use strict";

  function open(url, secret, signal, on) {
    return fetch(url, { headers: { Authorization: "Bearer " + secret }, signal: signal })
      .then(function (res) {
        if (res.status === 401 || res.status === 403) {
          return res.json().then(function (body) { on.denied(body.message || "not allowed"); });
        }
        if (!res.ok) {
          return res.json().then(function (body) { throw new Error(body.message || res.status); });
        }
        return read(res.body.getReader(), on.event);
      })
      .catch(function (err) {
        if (err.name !== "AbortError") on.lost(err.message);
      });
  }

  function read(reader, onEvent) {
    var decoder = new TextDecoder(), buffer = "";
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) throw new Error("the server closed the feed");
        buffer += decoder.decode(chunk.value, { stream: true });
        var cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          parse(buffer.slice(0, cut), onEvent);
          buffer = buffer.slice(cut + 2);
        }
        return pump();
      });
    }
    return pump();
  }

  /* One event block: "event:" and "data:" lines; comments (": keep-alive") carry no data. */
  function parse(block, onEvent) {
    var event = "message", data = [];
    block.split("\n").forEach(function (line) {
      if (line.indexOf("event:") === 0) event = line.slice(6).trim();
      else if (line.indexOf("data:") === 0) data.push(line.slice(5).trim());
    });
    if (data.length) onEvent(event, JSON.parse(data.join("\n")));
  }

  window.VCFeed = { open: open };
})();
