// The trainer's editor: CodeMirror 6 in place of the textarea #source (kept in step, hidden, so
// the form still posts the text), checked as you type by POST /authoring/files/<path>/check.
// Without JavaScript the page works as it is: the textarea, and the findings of the saved text.
import { EditorState } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  highlightSpecialChars,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { HighlightStyle, LanguageSupport, syntaxHighlighting, indentUnit } from "@codemirror/language";
import { markdownLanguage } from "@codemirror/lang-markdown";
import { yamlFrontmatter } from "@codemirror/lang-yaml";
import { setDiagnostics, lintGutter, lintKeymap } from "@codemirror/lint";
import { search, searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { classHighlighter, tags } from "@lezer/highlight";

const DEBOUNCE_MS = 500;

// GOV.UK colours; every distinction is also made by weight or style, never by colour alone.
const highlight = HighlightStyle.define([
  { tag: tags.heading1, fontWeight: "bold", fontSize: "1.25em", color: "#0b0c0c" },
  { tag: tags.heading2, fontWeight: "bold", fontSize: "1.15em", color: "#0b0c0c" },
  { tag: [tags.heading3, tags.heading4, tags.heading5, tags.heading6], fontWeight: "bold", color: "#0b0c0c" },
  { tag: tags.processingInstruction, color: "#1d70b8", fontWeight: "bold" }, // # marks, list bullets, [x]
  { tag: tags.list, color: "#0b0c0c" },
  { tag: tags.emphasis, fontStyle: "italic" },
  { tag: tags.strong, fontWeight: "bold" },
  { tag: [tags.link, tags.url], color: "#1d70b8", textDecoration: "underline" },
  { tag: tags.quote, fontStyle: "italic", color: "#484949" },
  { tag: tags.monospace, color: "#6f2c6f" },
  { tag: tags.atom, color: "#00703c", fontWeight: "bold" },
  { tag: tags.meta, color: "#505a5f" }, // the --- lines
  { tag: tags.propertyName, color: "#1d70b8", fontWeight: "bold" }, // settings: title, kind, ...
  { tag: [tags.string, tags.content], color: "#0b0c0c" },
  { tag: tags.comment, color: "#505a5f", fontStyle: "italic" },
]);

const theme = EditorView.theme({
  "&": { border: "2px solid #0b0c0c", fontSize: "16px", backgroundColor: "#ffffff", maxWidth: "100%" },
  "&.cm-focused": { outline: "3px solid #ffdd00", outlineOffset: "0", boxShadow: "inset 0 0 0 2px #0b0c0c" },
  ".cm-scroller": { fontFamily: "ui-monospace, Menlo, Consolas, monospace", lineHeight: "1.5", minHeight: "24em", maxHeight: "70vh" },
  ".cm-content": { caretColor: "#0b0c0c" },
  ".cm-gutters": { backgroundColor: "#f3f2f1", color: "#505a5f", borderRight: "1px solid #b1b4b6" },
  ".cm-activeLine": { backgroundColor: "#f8f8f8" },
  ".cm-activeLineGutter": { backgroundColor: "#dddcdb", color: "#0b0c0c" },
  ".cm-lintRange-error": { backgroundImage: "none", textDecoration: "underline wavy #d4351c", textDecorationSkipInk: "none" },
  ".cm-lintRange-warning": { backgroundImage: "none", textDecoration: "underline dotted #b58800", textDecorationSkipInk: "none" },
});

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function summary(counts) {
  if (!counts.errors && !counts.warnings) return "Checked: no problems found";
  return `Checked: ${plural(counts.errors, "error")}, ${plural(counts.warnings, "warning")}`;
}

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function position(doc, line, col, length) {
  const n = Math.min(Math.max(line, 1), doc.lines);
  const info = doc.line(n);
  const from = Math.min(info.from + Math.max(col, 1) - 1, info.to);
  let to = from + (length || 0);
  if (!length) {
    // The word at the finding, or one character, so that every finding can be seen.
    const rest = info.text.slice(from - info.from);
    const word = rest.match(/^\S+/);
    to = from + (word ? word[0].length : Math.min(1, info.to - from));
  }
  return { from, to: Math.min(to, info.to) };
}

function mount(textarea, panel) {
  const form = textarea.form;
  const url = panel.dataset.checkUrl;
  const status = document.getElementById("sl-live-status");
  const previewBox = document.getElementById("sl-live-preview");
  const findingsBox = document.getElementById("findings") || document.getElementById("sl-live-findings");
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label && !label.id) label.id = `${textarea.id}-label`;
  const describedBy = [textarea.getAttribute("aria-describedby"), "sl-live-help"].filter(Boolean).join(" ");
  let timer = null;
  let controller = null;
  let view = null;

  function moveTo(line, col) {
    const { from } = position(view.state.doc, line, col, 0);
    view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
    view.focus();
  }

  function showFindings(findings, counts) {
    findingsBox.replaceChildren();
    if (!findings.length) {
      findingsBox.append(el("p", { class: "govuk-body" }, "No problems found in the text in the editor."));
      return;
    }
    findingsBox.append(el("p", { class: "govuk-body" },
      `${plural(counts.errors, "error")} and ${plural(counts.warnings, "warning")} in the text in the editor.` +
      (counts.errors ? " Errors stop the course being published; warnings do not." : "")));
    const list = el("ul", { class: "govuk-list sl-findings__list" });
    for (const finding of [...findings].sort((a, b) => a.line - b.line || a.col - b.col)) {
      const error = finding.severity === "error";
      const item = el("li", {
        class: "sl-findings__item", "data-line": finding.line, "data-col": finding.col,
        "data-severity": finding.severity, "data-checker": finding.checker,
      });
      item.append(el("strong", { class: `govuk-tag ${error ? "govuk-tag--red" : "govuk-tag--yellow"}` }, error ? "Error" : "Warning"), " ");
      const link = el("a", { class: "govuk-link", href: `#L${finding.line}` },
        `Line ${finding.line}, column ${finding.col}: ${finding.message}`);
      link.addEventListener("click", (event) => {
        event.preventDefault();
        moveTo(finding.line, finding.col);
      });
      item.append(link);
      list.append(item);
    }
    findingsBox.append(list);
  }

  function showDiagnostics(findings) {
    const doc = view.state.doc;
    const diagnostics = findings.map((f) => ({
      ...position(doc, f.line, f.col, f.length),
      severity: f.severity,
      message: `${f.severity === "error" ? "Error" : "Warning"}: ${f.message}`,
    }));
    view.dispatch(setDiagnostics(view.state, diagnostics));
  }

  async function check() {
    if (controller) controller.abort();
    controller = new AbortController();
    const sent = view.state.doc;
    const body = new FormData();
    body.append("text", sent.toString());
    const token = form.querySelector('input[name="csrf_token"]');
    status.textContent = "Checking…";
    try {
      const response = await fetch(url, {
        method: "POST", body, signal: controller.signal, credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
      });
      if (response.status === 429) {
        status.textContent = "Not checked: too many checks in a short time. Wait a minute and type again.";
        return;
      }
      const type = response.headers.get("Content-Type") || "";
      const data = type.includes("application/json") ? await response.json() : {};
      if (!response.ok) {
        status.textContent = `Not checked: ${data.error || "the check did not work. Save your text to keep it."}`;
        return;
      }
      if (!view.state.doc.eq(sent)) return; // typed since: a newer check follows
      showDiagnostics(data.findings);
      showFindings(data.findings, data.counts);
      previewBox.innerHTML = data.html; // the server's sanitised rendering, as learners get it
      status.textContent = summary(data.counts);
    } catch (error) {
      if (error.name !== "AbortError") {
        status.textContent = "Not checked: the server could not be reached. Save your text to keep it.";
      }
    }
  }

  view = new EditorView({
    parent: textarea.parentElement,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        search({ top: true }),
        lintGutter(),
        indentUnit.of("    "),
        EditorView.lineWrapping,
        // Markdown with GitHub's extensions (task lists: the [x] options), without the HTML, CSS and
        // JavaScript languages markdown() brings for embedded code: content may not contain them.
        yamlFrontmatter({ content: new LanguageSupport(markdownLanguage) }),
        syntaxHighlighting(highlight),
        syntaxHighlighting(classHighlighter), // stable tok-* class names too (the tests read them)
        theme,
        // The site's Content-Security-Policy allows only styles with this page's nonce: CodeMirror
        // adds its own style sheet, so it needs it.
        EditorView.cspNonce.of(panel.dataset.cspNonce || ""),
        // The default keymap without indentWithTab: Tab leaves the editor, as everywhere else.
        keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap]),
        EditorView.contentAttributes.of({
          "aria-labelledby": label ? label.id : "",
          "aria-describedby": describedBy,
          spellcheck: "true",
          autocorrect: "off",
          autocapitalize: "off",
          // Already in the tab order (contenteditable); said so, so that the scrolling area that
          // holds it counts as reachable by keyboard (axe-core: scrollable-region-focusable).
          tabindex: "0",
        }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          textarea.value = update.state.doc.toString();
          clearTimeout(timer);
          timer = setTimeout(check, DEBOUNCE_MS);
        }),
      ],
    }),
  });
  textarea.parentElement.insertBefore(view.dom, textarea.nextSibling);
  textarea.hidden = true;
  textarea.style.display = "none"; // (.govuk-textarea sets display, which would beat [hidden])
  view.dom.id = "source-editor";
  // The numbered listing is for pages without the editor; the editor numbers its own lines.
  for (const listing of document.querySelectorAll(".sl-lines")) listing.style.display = "none";
  form.addEventListener("submit", () => { textarea.value = view.state.doc.toString(); });
  // The finding links of the saved text, shown by the page, move the cursor too.
  for (const link of findingsBox.querySelectorAll(".sl-findings__item a")) {
    const item = link.closest(".sl-findings__item");
    link.addEventListener("click", (event) => {
      event.preventDefault();
      moveTo(Number(item.dataset.line), Number(item.dataset.col));
    });
  }
  panel.hidden = false;
  panel.style.display = "";
  check();
}

const textarea = document.getElementById("source");
const panel = document.getElementById("sl-live");
if (textarea && textarea.form && panel) mount(textarea, panel);
