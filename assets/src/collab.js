// The live editor: co-authors write a position together, in real time.
//
// The text is a Yjs document (title, summary, body) kept in sync with the
// collaboration server through the standard Yjs sync and awareness protocol
// (y-websocket); each field is a CodeMirror 6 editor bound to its shared text
// (y-codemirror.next), which also shows the others' carets and selections.
// Without JavaScript, or when the room cannot be reached, the page keeps its
// plain form (with its three-way merge).
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { yCollab, ySyncAnnotation } from "y-codemirror.next";
import { EditorView, keymap, placeholder } from "@codemirror/view";
import { Compartment, EditorState } from "@codemirror/state";
import { defaultKeymap } from "@codemirror/commands";

const FIRST_CONNECTION_MS = 8000;

function roomAddress(url) {
  // "/collab" (behind the site's reverse proxy) or a whole address
  if (/^wss?:\/\//.test(url)) { return url; }
  if (/^https?:\/\//.test(url)) { return url.replace(/^http/, "ws"); }
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return scheme + "//" + window.location.host + url;
}

function lightOf(colour) {
  return colour + "33";
}

class LiveEditor {
  constructor(root) {
    this.root = root;
    this.data = root.dataset;
    this.plain = document.querySelector("[data-plain]");
    this.status = root.querySelector("[data-live-status]");
    this.people = root.querySelector("[data-live-people]");
    this.doc = new Y.Doc();
    this.views = {};
    this.editable = new Compartment();
    this.writable = true;
    this.everSynced = false;
    this.provider = new WebsocketProvider(
      roomAddress(this.data.url), this.data.position, this.doc,
      { params: { token: this.data.token }, disableBc: true, maxBackoffTime: 4000 }
    );
    this.provider.awareness.setLocalStateField("user", {
      name: this.data.name + " (" + this.data.network + ")",
      color: this.data.colour,
      colorLight: lightOf(this.data.colour),
    });
    this.undo = new Y.UndoManager(
      ["title", "summary", "body"].map((name) => this.doc.getText(name))
    );
    this.mountFields();
    this.bindToolbar();
    this.bindPreview();
    this.watch();
    this.fallback = window.setTimeout(() => {
      if (!this.everSynced) { this.giveUp(this.data.msgUnreachable); }
    }, FIRST_CONNECTION_MS);
  }

  say(message) {
    this.status.textContent = message;
  }

  mountFields() {
    this.root.querySelectorAll("[data-live-field]").forEach((host) => {
      const name = host.dataset.liveField;
      const text = this.doc.getText(name);
      const single = name === "title";
      const extensions = [
        // Tab leaves the editor (no keyboard trap): lists indent with spaces
        keymap.of(defaultKeymap),
        yCollab(text, this.provider.awareness, { undoManager: this.undo }),
        EditorView.lineWrapping,
        EditorView.cspNonce.of(this.data.styleNonce || ""),
        EditorView.contentAttributes.of({
          "aria-labelledby": host.dataset.labelledby,
          "aria-describedby": host.dataset.describedby || "",
          "aria-multiline": single ? "false" : "true",
          spellcheck: "true",
          lang: document.documentElement.lang,
        }),
        this.editable.of(EditorView.editable.of(true)),
        placeholder(host.dataset.placeholder || ""),
      ];
      // what the person types keeps to the form's limits (one line for the
      // title); what others typed is always shown as it is
      const limit = Number(host.dataset.maxlength || 0);
      extensions.push(EditorState.transactionFilter.of((tr) => {
        if (!tr.docChanged || tr.annotation(ySyncAnnotation)) { return tr; }
        if (single && tr.newDoc.lines > 1) { return []; }
        if (limit && tr.newDoc.length > limit && tr.newDoc.length > tr.startState.doc.length) {
          return [];
        }
        return tr;
      }));
      this.views[name] = new EditorView({
        state: EditorState.create({ doc: text.toString(), extensions }),
        parent: host,
      });
    });
  }

  // --- The toolbar: Markdown written for the person, at the caret ---------------------

  bindToolbar() {
    const actions = {
      heading: () => this.linePrefix("## "),
      bold: () => this.wrap("**", "**", this.data.sampleBold),
      italic: () => this.wrap("_", "_", this.data.sampleItalic),
      list: () => this.linePrefix("- "),
      link: () => this.wrap("[", "](https://)", this.data.sampleLink),
      footnote: () => this.footnote(),
      undo: () => this.undo.undo(),
      redo: () => this.undo.redo(),
    };
    this.root.querySelectorAll("[data-action]").forEach((button) => {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        const act = actions[button.dataset.action];
        if (act && this.writable) { act(); }
        if (button.dataset.action !== "undo" && button.dataset.action !== "redo") {
          this.views.body.focus();
        }
      });
    });
  }

  wrap(before, after, sample) {
    const view = this.views.body;
    const range = view.state.selection.main;
    const chosen = view.state.sliceDoc(range.from, range.to) || sample;
    view.dispatch({
      changes: { from: range.from, to: range.to, insert: before + chosen + after },
      selection: { anchor: range.from + before.length,
                   head: range.from + before.length + chosen.length },
    });
  }

  linePrefix(prefix) {
    const view = this.views.body;
    const line = view.state.doc.lineAt(view.state.selection.main.head);
    if (line.text.startsWith(prefix)) { return; }
    view.dispatch({ changes: { from: line.from, insert: prefix } });
  }

  footnote() {
    const view = this.views.body;
    const text = view.state.doc.toString();
    let number = 1;
    while (text.includes("[^" + number + "]")) { number += 1; }
    const mark = "[^" + number + "]";
    const head = view.state.selection.main.head;
    const end = view.state.doc.length;
    const note = (text.endsWith("\n") ? "\n" : "\n\n") + mark + ": ";
    view.dispatch({
      changes: [{ from: head, insert: mark }, { from: end, insert: note }],
      selection: { anchor: end + mark.length + note.length },
    });
  }

  // --- The preview, rendered by the server with the sanitiser that saves -------------

  bindPreview() {
    const button = this.root.querySelector("[data-live-preview]");
    const region = this.root.querySelector("[data-live-preview-region]");
    const target = this.root.querySelector("[data-live-preview-target]");
    let timer = null;
    const render = () => {
      const form = new FormData();
      form.append("csrf_token", this.data.csrf);
      form.append("body", this.doc.getText("body").toString());
      fetch(this.data.previewUrl, {
        method: "POST", body: form, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      }).then((response) => response.ok ? response.text() : Promise.reject())
        .then((html) => { target.innerHTML = html; })  // sanitised by the server
        .catch(() => { target.textContent = this.data.msgPreviewFailed; });
    };
    button.addEventListener("click", () => {
      const open = region.hidden;
      region.hidden = !open;
      button.setAttribute("aria-pressed", open ? "true" : "false");
      if (open) { render(); }
    });
    this.doc.getText("body").observe(() => {
      if (region.hidden) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(render, 600);
    });
  }

  // --- The room: connection, people, read-only ---------------------------------------

  watch() {
    this.provider.on("status", ({ status }) => {
      this.root.dataset.connection = status;
      if (status === "connected") {
        this.say(this.data.msgOnline);
      } else if (status === "disconnected" && this.everSynced && this.writable) {
        this.say(this.data.msgOffline);
      }
    });
    this.provider.on("sync", (synced) => {
      if (synced && !this.everSynced) {
        this.everSynced = true;
        window.clearTimeout(this.fallback);
        this.plain.hidden = true;
        this.root.hidden = false;
      }
      if (synced) { this.root.dataset.synced = "true"; }
    });
    this.provider.on("closed", ({ code }) => {
      if (code === 4401) {
        this.renewToken();
      } else if (code === 4403) {
        this.readOnly(this.data.msgForbidden);
      } else {
        this.giveUp(this.data.msgUnreachable);
      }
    });
    this.provider.awareness.on("change", () => this.showPeople());
  }

  renewToken() {
    fetch(this.data.tokenUrl, { credentials: "same-origin" })
      .then((response) => response.ok ? response.json() : Promise.reject(response.status))
      .then((answer) => {
        this.provider.params.token = answer.token;
        this.provider.connect();
      })
      .catch(() => this.readOnly(this.data.msgForbidden));
  }

  showPeople() {
    const states = this.provider.awareness.getStates();
    const items = [];
    states.forEach((state, clientID) => {
      if (state.room) {
        if (state.room.writable === false && this.writable) {
          this.readOnly(this.data.msgClosed);
        }
        return;
      }
      if (!state.user) { return; }
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "live-swatch";
      swatch.style.backgroundColor = state.user.color;
      swatch.setAttribute("aria-hidden", "true");
      item.append(swatch, document.createTextNode(state.user.name));
      if (clientID === this.doc.clientID) { item.dataset.me = "true"; }
      items.push(item);
    });
    this.people.replaceChildren(...items);
  }

  readOnly(message) {
    this.writable = false;
    this.say(message);
    this.root.dataset.readonly = "true";
    Object.values(this.views).forEach((view) => {
      view.dispatch({ effects: this.editable.reconfigure(EditorView.editable.of(false)) });
      view.contentDOM.setAttribute("aria-readonly", "true");
    });
    this.root.querySelectorAll("[data-action], [data-live-save] button")
      .forEach((button) => { button.disabled = true; });
  }

  giveUp(message) {
    if (this.everSynced) { this.say(message); return; }
    this.provider.disconnect();
    this.root.hidden = true;
    this.plain.hidden = false;
    const notice = document.querySelector("[data-live-fallback]");
    if (notice) { notice.hidden = false; notice.textContent = message; }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-live]").forEach((root) => {
    if (window.WebSocket) { root.liveEditor = new LiveEditor(root); }
  });
});
