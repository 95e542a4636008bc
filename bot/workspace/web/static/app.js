// The local workspace page: channels, messages, threads, ephemerals, modals and a composer.
// It draws what /workspace/state says and redraws on each Server-Sent `change` event.
"use strict";

(() => {
  const { el } = Mrkdwn;
  const params = new URLSearchParams(location.search);
  const where = {
    user: params.get("user") || "",
    channel: params.get("channel") || "",
    thread: "",
    home: params.get("home") === "1", // the app's Home tab instead of a channel
  };
  let state = null;
  let drawnModal = "";
  // What each part last drew: a part is rebuilt only when what it shows changed, so a click
  // that lands while an unrelated change redraws the page is never lost to a replaced node.
  const drawn = { channels: "", messages: "", thread: "", home: "" };

  const $ = (id) => document.getElementById(id);
  // Every write carries the token the server put in this page: no other site can read it.
  const token = document.querySelector('meta[name="workspace-token"]').content;

  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Workspace-Token": token },
      body: JSON.stringify({ user: where.user, ...body }),
    });
    if (!response.ok) {
      status(`${response.status}: ${await response.text()}`);
      return { errors: {}, problem: "failed" };
    }
    const outcome = await response.json();
    status(outcome.problem || "");
    refresh();
    return outcome;
  }

  function status(message) {
    $("status").textContent = message;
  }

  // The name of a user or of a channel by id, as Slack shows a mention of either.
  function names(id) {
    const user = state && state.users.find((u) => u.id === id);
    if (user) return user.name;
    const channel = state && state.channels.find((c) => c.id === id);
    return channel ? channel.name : null;
  }

  // A confirm dialog (Block Kit `confirm` object); `answer(true)` only when confirmed.
  function confirm(dialog, answer) {
    const layer = $("confirm");
    layer.replaceChildren();
    const box = el("div", "dialog");
    box.setAttribute("role", "alertdialog");
    box.append(el("h3", "dialog-title", Blocks.plain(dialog.title) || "Are you sure?"));
    box.append(Blocks.text(dialog.text, { names }));
    const buttons = el("div", "dialog-buttons");
    const deny = el("button", "btn", Blocks.plain(dialog.deny) || "Cancel");
    const ok = el("button", "btn " + (dialog.style || "primary"), Blocks.plain(dialog.confirm) || "Yes");
    deny.dataset.role = "deny";
    ok.dataset.role = "confirm";
    const finish = (yes) => {
      layer.hidden = true;
      layer.replaceChildren();
      answer(yes);
    };
    deny.addEventListener("click", () => finish(false));
    ok.addEventListener("click", () => finish(true));
    buttons.append(deny, ok);
    box.append(buttons);
    layer.append(box);
    layer.hidden = false;
  }

  function replies(count) {
    return `${count} ${count === 1 ? "reply" : "replies"}`;
  }

  function messageNode(message, inThread) {
    const node = el("div", "message" + (message.ephemeral ? " ephemeral" : ""));
    node.dataset.ts = message.ts;
    const head = el("div", "meta");
    head.append(el("span", "author", message.author));
    head.append(el("span", "time", new Date(Number(message.ts) * 1000).toLocaleTimeString()));
    if (message.ephemeral) head.append(el("span", "tag", "Only visible to you"));
    if (message.edited) head.append(el("span", "tag", "(edited)"));
    node.append(head);
    const ctx = {
      names,
      confirm,
      act: (block, action) =>
        post("/workspace/click", { channel: state.channel, ts: message.ts, block, action }),
    };
    if (message.blocks && message.blocks.length) node.append(Blocks.render(message.blocks, ctx));
    else if (message.text) node.append(Blocks.text({ type: "mrkdwn", text: message.text }, ctx));
    for (const file of message.files) {
      const href = `/workspace/files/${encodeURIComponent(file.id)}`;
      const link = el("a", "file", `📄 ${file.title || file.name}`);
      link.href = href;
      link.target = "_blank";
      if ((file.mimetype || "").startsWith("image/")) {
        const image = document.createElement("img");
        image.className = "file-image";
        image.src = href;
        image.alt = file.alt_txt || file.title || file.name;
        link.replaceChildren(image);
      }
      node.append(link);
    }
    if (!inThread && message.reply_count > 0) {
      const open = el("button", "replies", replies(message.reply_count));
      open.addEventListener("click", () => {
        where.thread = message.ts;
        refresh();
      });
      node.append(open);
    }
    return node;
  }

  function unchanged(part, value) {
    const key = JSON.stringify(value);
    if (drawn[part] === key) return true;
    drawn[part] = key;
    return false;
  }

  function drawChannels() {
    drawPicker();
    const current = state.channels.find((c) => c.id === state.channel);
    $("channel-name").textContent = where.home ? "aihc · Home" : current ? "#" + current.name : "";
    $("home-tab").classList.toggle("current", where.home);
    if (unchanged("channels", [state.channels, state.channel, where.home])) return;
    const list = $("channels");
    list.replaceChildren();
    for (const channel of state.channels) {
      const here = channel.id === state.channel && !where.home;
      const item = el("button", "channel" + (here ? " current" : ""));
      item.textContent = (channel.is_dm ? "@ " : channel.is_private ? "🔒 " : "# ") + channel.name;
      item.dataset.channel = channel.id;
      item.addEventListener("click", () => {
        where.channel = channel.id;
        where.thread = "";
        where.home = false;
        refresh();
      });
      list.append(item);
    }
  }

  function drawPicker() {
    const picker = $("user");
    if (picker.options.length !== state.users.length) {
      picker.replaceChildren(
        ...state.users.map((user) => {
          const option = el("option", "", `${user.name} (${user.locale})`);
          option.value = user.id;
          return option;
        }),
      );
    }
    picker.value = where.user || state.user;
  }

  function drawMessages() {
    if (unchanged("messages", state.messages)) return;
    const list = $("messages");
    const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
    list.replaceChildren(...state.messages.map((m) => messageNode(m, false)));
    if (stick) list.scrollTop = list.scrollHeight;
  }

  // The app's Home tab: the view the app published for this person, its buttons live.
  function drawHome() {
    const pane = $("home");
    pane.hidden = !where.home;
    $("messages").hidden = where.home;
    $("composer").hidden = where.home;
    if (unchanged("home", [where.home, state.home])) return;
    if (!where.home) return pane.replaceChildren();
    if (!state.home) return pane.replaceChildren(el("div", "loading", "Opening Home…"));
    const ctx = {
      names,
      confirm,
      act: (block, action) => post("/workspace/home/click", { block, action }),
    };
    pane.replaceChildren(Blocks.render(state.home.blocks, ctx));
  }

  function openHome() {
    where.home = true;
    where.thread = "";
    // A fresh page learns who it is from its first state: open Home as that person.
    Promise.resolve(refresh()).then(() => post("/workspace/home/open", {}));
  }

  function drawThread() {
    const pane = $("thread");
    pane.hidden = !state.thread;
    if (unchanged("thread", state.thread) || !state.thread) return;
    const body = $("thread-messages");
    body.replaceChildren(
      messageNode(state.thread.parent, true),
      el("div", "thread-count", replies(state.thread.replies.length)),
      ...state.thread.replies.map((m) => messageNode(m, true)),
    );
  }

  function drawErrors(modal) {
    const layer = $("modal");
    for (const old of layer.querySelectorAll(".field-error")) old.remove();
    for (const [blockId, message] of Object.entries(modal.errors || {})) {
      const block = layer.querySelector(`[data-block-id="${CSS.escape(blockId)}"]`);
      if (block) block.append(el("div", "field-error", message));
    }
  }

  // Redraw a modal only when it is a new one or a new version, so typing is never lost.
  function drawModal() {
    const layer = $("modal");
    const modal = state.modal;
    const key = modal ? `${modal.id}/${modal.version}` : "";
    if (key !== drawnModal) {
      drawnModal = key;
      layer.replaceChildren();
      layer.hidden = !modal;
      if (modal) layer.append(modalNode(modal));
    }
    if (modal) drawErrors(modal);
  }

  function empty(value) {
    return value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
  }

  function modalNode(modal) {
    const view = modal.view;
    const box = el("form", "dialog modal-box");
    box.setAttribute("role", "dialog");
    box.append(el("h3", "dialog-title", Blocks.plain(view.title)));
    const blocks = view.blocks || [];
    const valuesOf = () => Blocks.values(box, blocks);
    const ctx = {
      names,
      confirm,
      act: (block, action) =>
        post("/workspace/view/click", { view_id: modal.id, block, action, values: valuesOf() }),
    };
    box.append(Blocks.render(blocks, ctx));
    const buttons = el("div", "dialog-buttons");
    const close = el("button", "btn", Blocks.plain(view.close) || "Cancel");
    close.type = "button";
    close.dataset.role = "close";
    close.addEventListener("click", () => post("/workspace/view/close", { view_id: modal.id }));
    buttons.append(close);
    if (view.submit) {
      const submit = el("button", "btn primary", Blocks.plain(view.submit));
      submit.type = "submit";
      submit.dataset.role = "submit";
      buttons.append(submit);
    }
    box.addEventListener("submit", (event) => {
      event.preventDefault();
      const values = valuesOf();
      // Slack itself refuses to send a form whose required inputs are empty.
      const missing = Object.fromEntries(
        blocks
          .filter((b) => b.type === "input" && !b.optional && b.block_id)
          .filter((b) => Object.values(values[b.block_id] || {}).every(empty))
          .map((b) => [b.block_id, "Please complete this required field."]),
      );
      if (Object.keys(missing).length) drawErrors({ errors: missing });
      else post("/workspace/view/submit", { view_id: modal.id, values });
    });
    box.append(buttons);
    return box;
  }

  function draw() {
    // Fill in only what was not chosen yet: a late answer must not undo a newer choice.
    where.user = where.user || state.user;
    where.channel = where.channel || state.channel;
    const home = where.home ? "&home=1" : "";
    history.replaceState(null, "", `?user=${encodeURIComponent(where.user)}&channel=${encodeURIComponent(where.channel)}${home}`);
    drawChannels();
    drawMessages();
    drawHome();
    drawThread();
    drawModal();
    $("offline").hidden = state.connected;
    document.body.dataset.ready = "true";
  }

  let pending = null;
  let again = false;
  // One request at a time; changes that arrive meanwhile cause one more fetch afterwards.
  function refresh() {
    if (pending) {
      again = true;
      return pending;
    }
    const query = new URLSearchParams({ user: where.user, channel: where.channel, thread: where.thread });
    pending = fetch(`/workspace/state?${query}`)
      .then((response) => response.json())
      .then((next) => {
        state = next;
        draw();
      })
      .catch((error) => status(String(error)))
      .finally(() => {
        pending = null;
        if (again) {
          again = false;
          refresh();
        }
      });
    return pending;
  }

  // Whether the page shows the person and channel last chosen, with no fetch under way; tests
  // wait on this before clicking, as a person waits for the page to switch.
  window.workspaceSettled = () =>
    Boolean(state && !pending && state.user === where.user && state.channel === where.channel);

  function start() {
    $("composer").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = $("command");
      const text = input.value.trim();
      if (!text) return;
      input.value = "";
      post("/workspace/command", { channel: where.channel, text });
    });
    $("user").addEventListener("change", (event) => {
      where.user = event.target.value;
      where.thread = "";
      drawnModal = null; // redraw (or hide) whatever modal the new person has
      if (where.home) openHome(); // as the new person opens their own Home
      else refresh();
    });
    $("home-tab").addEventListener("click", openHome);
    $("close-thread").addEventListener("click", () => {
      where.thread = "";
      refresh();
    });
    const changes = new EventSource("/workspace/changes");
    changes.addEventListener("change", () => refresh());
    if (where.home) openHome();
    else refresh();
  }

  start();
})();
