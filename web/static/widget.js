/*
 * debate-qa chat widget: a <debate-qa> element that asks a debate-qa server and shows cited answers.
 *
 *   <script src="https://QA-HOST/widget.js" defer></script>
 *   <debate-qa src="https://QA-HOST"></debate-qa>
 *
 * Attributes: src (where debate-qa runs; default: where this script was loaded from),
 * heading (title line), examples (starter questions separated by "|").
 * The element lives in a shadow DOM, calls only POST {src}/api/ask, sends no cookies, uses no
 * storage and loads nothing else. Every piece of server text is inserted as text
 * (textContent / text nodes), never parsed as HTML.
 * It remembers the conversation in memory (never in storage) and sends its last turns as
 * "history", so a follow-up ("what did they say about GPs?") is answered as the standalone
 * question the server makes of it ("Answering: …"). "New conversation" forgets it.
 */
(() => {
  "use strict";
  if (!window.customElements || window.customElements.get("debate-qa")) return;

  // Resolved now: document.currentScript is only set while this script first runs.
  const SCRIPT_BASE = (() => {
    try {
      return new URL(".", document.currentScript.src).href;
    } catch (_) {
      return new URL(".", window.location.href).href;
    }
  })();
  const MAX_CHARS = 1000;
  const TIMEOUT_MS = 60000;
  // What the server accepts (retrieval/history.py): 12 messages; an answer is sent back cut to
  // its first lines, which name the actors and speakers a follow-up can refer to.
  const HISTORY_MESSAGES = 12;
  const ANSWER_CHARS = 4000;
  const LIST_ITEM = /^([-*+]|\d{1,3}[.)])\s+(.*)$/;
  // The composer backslash-escapes source text in its markdown; unescaped [n] and ** are its own.
  const INLINE = /(?<!\\)\[(\d{1,3})\]|(?<!\\)\*\*((?:\\.|[^*\\])+)\*\*/g;
  const ESCAPED = /\\([!-\/:-@\[-`{-~])/g;
  const unescape = (text) => text.replace(ESCAPED, "$1");

  const CSS = `
:host { display: block; box-sizing: border-box; max-width: 44rem; color: #1f2328; background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  border: 1px solid #d0d7de; border-radius: 10px; padding: 14px 16px;
  --dqa-accent: #0b5cad; --dqa-mark: #fff3a3; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
h2 { font-size: 1.05em; margin: 0 0 8px; }
form { display: flex; gap: 8px; align-items: flex-end; }
textarea { flex: 1; font: inherit; padding: 7px 9px; border: 1px solid #8c959f; border-radius: 6px;
  resize: vertical; min-height: 2.4em; max-height: 9em; }
button { font: inherit; cursor: pointer; }
button.ask { background: var(--dqa-accent); color: #fff; border: 0; border-radius: 6px; padding: 7px 14px; }
button.ask[disabled] { opacity: 0.6; cursor: progress; }
.examples { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 0; }
.examples button { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 14px; padding: 2px 10px; font-size: 0.9em; }
.status { color: #57606a; margin: 8px 0 0; min-height: 1.2em; font-size: 0.92em; }
.error { color: #a40e26; background: #ffebe9; border: 1px solid #ffcecb; border-radius: 6px; padding: 6px 10px; margin: 8px 0 0; }
.answer { margin-top: 6px; }
.answer .question { font-weight: 600; margin: 6px 0; }
.answer .standalone { color: #57606a; font-style: italic; }
button.reset { background: none; border: 0; color: var(--dqa-accent); padding: 0; font-size: 0.9em; margin: 6px 0 0; }
button.reset[hidden] { display: none; }
.answer ul, .answer ol { padding-left: 1.3em; margin: 4px 0; }
.answer p { margin: 4px 0; }
button.marker { border: 0; background: none; color: var(--dqa-accent); padding: 0 1px; font-size: 0.85em;
  vertical-align: super; line-height: 1; }
details.sources { margin-top: 10px; border-top: 1px solid #d8dee4; padding-top: 6px; }
details > summary { cursor: pointer; }
details.source { margin: 8px 0 0 6px; }
details.source > summary { font-weight: 600; }
.meta { color: #57606a; font-size: 0.9em; margin: 2px 0; }
blockquote { margin: 4px 0; padding-left: 10px; border-left: 3px solid #d0d7de; }
details.passage { margin: 2px 0 0; font-size: 0.93em; }
details.passage p { white-space: pre-wrap; margin: 4px 0; }
mark { background: var(--dqa-mark); color: inherit; }
`;

  // Elements with attributes and children; strings become text nodes, never HTML.
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === "") continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function sentence(text) {
    const s = String(text || "").trim();
    if (!s) return s;
    const first = s.charAt(0).toUpperCase() + s.slice(1);
    return /[.!?]$/.test(first) ? first : first + ".";
  }

  class DebateQa extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: "open" });
      if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
      } else {
        root.append(h("style", {}, CSS));
      }
      this.input = h("textarea", {
        rows: 1, maxlength: MAX_CHARS, part: "input", "aria-label": "Question",
        placeholder: "Ask a question about the debate…",
      });
      this.button = h("button", { type: "submit", class: "ask", part: "button" }, "Ask");
      this.form = h("form", { part: "form" }, this.input, this.button);
      this.status = h("p", { class: "status", role: "status", "aria-live": "polite", part: "status" });
      this.output = h("div", { class: "answer", part: "answer", "aria-live": "polite" });
      this.thread = []; // [{role: "user" | "assistant", content}], in memory only
      this.reset = h("button", { type: "button", class: "reset", part: "reset", hidden: true }, "New conversation");
      this.reset.addEventListener("click", () => this.forget());
      root.append(h("h2", { part: "heading" }, this.getAttribute("heading") || "Ask the debate"), this.form);
      const examples = (this.getAttribute("examples") || "").split("|").map((s) => s.trim()).filter(Boolean);
      if (examples.length) {
        root.append(h("div", { class: "examples", part: "examples" },
          ...examples.map((q) => {
            const b = h("button", { type: "button" }, q);
            b.addEventListener("click", () => { this.input.value = q; this.ask(q); });
            return b;
          })));
      }
      root.append(this.status, this.output, this.reset);
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.ask(this.input.value);
      });
      this.input.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.form.requestSubmit();
        }
      });
    }

    /** Base URL of the debate-qa server, ending in "/". */
    get base() {
      const src = this.getAttribute("src");
      const url = new URL(src || SCRIPT_BASE, window.location.href);
      return url.href.endsWith("/") ? url.href : url.href + "/";
    }

    /** Ask one question; resolves when the answer (or an error) is shown. */
    async ask(question) {
      const q = String(question || "").trim();
      if (!q) return this.showError("Please type a question.");
      if (q.length > MAX_CHARS) return this.showError(`The question is too long (limit ${MAX_CHARS} characters).`);
      this.button.disabled = true;
      this.setAttribute("aria-busy", "true");
      this.status.textContent = "Searching the sources…";
      try {
        const body = { question: q };
        if (this.thread.length) body.history = this.history();
        const data = await this.post("api/ask", body);
        this.status.textContent = "";
        this.renderAnswer(data);
        this.thread.push({ role: "user", content: q }, { role: "assistant", content: String(data.answer || "") });
        this.reset.hidden = false;
      } catch (err) {
        this.showError(err.message);
      } finally {
        this.button.disabled = false;
        this.removeAttribute("aria-busy");
      }
    }

    /** The last turns as the API takes them: long answers cut at a line break. */
    history() {
      return this.thread.slice(-HISTORY_MESSAGES).map((m) => {
        if (m.role !== "assistant" || m.content.length <= ANSWER_CHARS) return m;
        const cut = m.content.lastIndexOf("\n", ANSWER_CHARS);
        return { role: m.role, content: m.content.slice(0, cut > 0 ? cut : ANSWER_CHARS) };
      }).filter((m) => m.content.trim());
    }

    /** Start again: the next question is not a follow-up. */
    forget() {
      this.thread = [];
      this.reset.hidden = true;
      this.output.replaceChildren();
      this.status.textContent = "";
      this.input.focus();
    }

    async post(path, body) {
      let url;
      try {
        url = new URL(path, this.base);
      } catch (_) {
        throw new Error("The widget's src attribute is not a valid address.");
      }
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
      let response;
      try {
        response = await fetch(url.href, {
          method: "POST",
          mode: "cors",
          credentials: "omit",
          cache: "no-store",
          referrerPolicy: "strict-origin",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
          signal: abort.signal,
        });
      } catch (err) {
        throw new Error(err && err.name === "AbortError"
          ? "The answer took too long. Please try again."
          : `Could not reach debate-qa at ${url.origin}. It may be down, or this site may not be allowed to use it.`);
      } finally {
        clearTimeout(timer);
      }
      let data = null;
      try {
        data = await response.json();
      } catch (_) {
        data = null;
      }
      if (!response.ok) {
        throw new Error(data && typeof data.error === "string"
          ? sentence(data.error)
          : `debate-qa answered with an error (HTTP ${response.status}).`);
      }
      if (!data || typeof data !== "object") throw new Error("debate-qa sent an answer this widget cannot read.");
      return data;
    }

    showError(message) {
      this.status.textContent = "";
      this.output.replaceChildren(h("p", { class: "error", role: "alert", part: "error" }, message));
    }

    renderAnswer(data) {
      const citations = Array.isArray(data.citations) ? data.citations : [];
      const byNumber = new Map(citations.map((c) => [Number(c.n), c]));
      const sourceItems = new Map();
      const body = h("div", { class: "text", part: "answer-text" });
      let list = null;
      let first = true;
      for (const raw of String(data.answer || "").split("\n")) {
        const line = raw.trim();
        if (!line) { list = null; continue; }
        const standalone = first && typeof data.standalone_question === "string" && line.startsWith("Answering:");
        first = false;
        if (standalone) { // what a follow-up was taken to mean
          body.append(h("p", { class: "standalone", part: "standalone" }, unescape(line)));
          continue;
        }
        const item = LIST_ITEM.exec(line);
        if (item) {
          if (!list) {
            list = h(/^\d/.test(item[1]) ? "ol" : "ul");
            body.append(list);
          }
          list.append(h("li", {}, ...this.inline(item[2], byNumber, sourceItems)));
        } else {
          list = null;
          body.append(h("p", {}, ...this.inline(line, byNumber, sourceItems)));
        }
      }
      const parts = [h("p", { class: "question", part: "question" }, String(data.question || "")), body];
      if (citations.length) {
        const sources = h("details", { class: "sources", part: "sources" },
          h("summary", {}, `Sources (${citations.length})`));
        for (const c of citations) {
          const item = this.citation(c);
          sourceItems.set(Number(c.n), item);
          sources.append(item);
        }
        parts.push(sources);
      }
      const related = Array.isArray(data.related) ? data.related : [];
      if (related.length) {
        const box = h("details", { class: "sources", part: "related" },
          h("summary", {}, `May be related (${related.length})`));
        for (const hit of related) {
          box.append(h("div", { class: "source" },
            h("strong", {}, String(hit.title || hit.source || "")),
            h("p", { class: "meta" }, [hit.outlet, hit.published].filter(Boolean).join(" · ")),
            h("blockquote", {}, String(hit.text || ""))));
        }
        parts.push(box);
      }
      this.output.replaceChildren(...parts);
    }

    // Text with [n] markers as buttons that open source n, and **bold** as <strong>.
    inline(text, byNumber, sourceItems) {
      const out = [];
      let last = 0;
      for (const m of text.matchAll(INLINE)) {
        if (m.index > last) out.push(unescape(text.slice(last, m.index)));
        if (m[2] !== undefined) {
          out.push(h("strong", {}, unescape(m[2])));
        } else if (byNumber.has(Number(m[1]))) {
          const n = Number(m[1]);
          const marker = h("button", { type: "button", class: "marker", part: "marker", "aria-label": `Source ${n}` }, `[${n}]`);
          marker.addEventListener("click", () => this.openSource(n, sourceItems));
          out.push(marker);
        } else {
          out.push(m[0]);
        }
        last = m.index + m[0].length;
      }
      if (last < text.length) out.push(unescape(text.slice(last)));
      return out;
    }

    openSource(n, sourceItems) {
      const item = sourceItems.get(n);
      if (!item) return;
      item.parentElement.open = true;
      item.open = true;
      item.scrollIntoView({ block: "nearest" });
    }

    citation(c) {
      const who = c.speaker || c.organisation;
      const extra = [c.role, c.speaker ? c.organisation : null].filter(Boolean);
      const speaker = who ? (extra.length ? `${who} (${extra.join(", ")})` : String(who)) : "";
      const item = h("details", { class: "source", part: "source", "data-n": Number(c.n) },
        h("summary", {}, `[${Number(c.n)}] ${c.title || c.source || ""}`),
        h("p", { class: "meta" }, [c.outlet, c.published].filter(Boolean).join(" · ")),
        speaker ? h("p", { class: "meta speaker" }, `Speaker: ${speaker}`) : null,
        c.stance ? h("p", { class: "meta" }, `Stance: ${c.stance}`) : null,
        h("blockquote", { part: "quote" }, String(c.quote || "")),
        this.passage(c),
        h("p", { class: "meta" }, `${c.source} [${c.start}–${c.end})`));
      return item;
    }

    // The passage with the quote marked: quote = context[start - context_start, end - context_start).
    passage(c) {
      const context = String(c.context || "");
      if (!context) return null;
      const offset = (x) => (Number.isFinite(Number(x)) ? Number(x) - Number(c.context_start) : 0);
      const s = Number.isFinite(Number(c.context_start)) ? Math.min(Math.max(offset(c.start), 0), context.length) : 0;
      const e = Number.isFinite(Number(c.context_start)) ? Math.min(Math.max(offset(c.end), s), context.length) : 0;
      const p = h("p", { part: "passage" }, context.slice(0, s));
      if (e > s) p.append(h("mark", {}, context.slice(s, e)));
      p.append(document.createTextNode(context.slice(e)));
      return h("details", { class: "passage" }, h("summary", {}, "Show in passage"), p);
    }
  }

  window.customElements.define("debate-qa", DebateQa);
})();
