// Block Kit to DOM: header, section (text, fields, accessory), context, divider, rich_text,
// actions (buttons, menus, with confirm dialogs), input (modals), image; anything else is named.
"use strict";

const Blocks = (() => {
  const { el, render: mrkdwn } = Mrkdwn;

  // A text object: mrkdwn is parsed, plain_text is shown as it is.
  function text(obj, ctx, className = "") {
    const node = el("div", "text " + className);
    if (!obj) return node;
    if (obj.type === "mrkdwn") mrkdwn(obj.text || "", node, ctx.names);
    else node.textContent = Mrkdwn.emoji(obj.text || "");
    return node;
  }

  function plain(obj) {
    return obj && typeof obj.text === "string" ? Mrkdwn.emoji(obj.text) : "";
  }

  function options(element) {
    const all = [...(element.options || [])];
    for (const group of element.option_groups || []) all.push(...(group.options || []));
    return all;
  }

  // Ask before acting when the element carries a confirm dialog; the answer comes back as a bool.
  function confirmed(element, ctx, go, undo) {
    if (!element.confirm) return go();
    ctx.confirm(element.confirm, (yes) => (yes ? go() : undo && undo()));
  }

  function button(element, index, ctx) {
    const node = el("button", "btn " + (element.style || ""), plain(element.text));
    node.type = "button";
    node.dataset.actionId = element.action_id || "";
    if (element.url) node.title = element.url;
    node.addEventListener("click", () =>
      confirmed(element, ctx, () => ctx.act(index, { action_id: element.action_id })),
    );
    return node;
  }

  function select(element, index, ctx, live) {
    const node = el("select", "select");
    node.dataset.actionId = element.action_id || "";
    const placeholder = el("option", "", plain(element.placeholder) || "Select…");
    placeholder.value = "";
    node.append(placeholder);
    for (const option of options(element)) {
      const item = el("option", "", plain(option.text));
      item.value = option.value;
      node.append(item);
    }
    node.value = (element.initial_option && element.initial_option.value) || "";
    let previous = node.value;
    if (live) {
      node.addEventListener("change", () => {
        const value = node.value;
        confirmed(
          element,
          ctx,
          () => {
            previous = value;
            ctx.act(index, { action_id: element.action_id, value });
          },
          () => (node.value = previous),
        );
      });
    }
    return node;
  }

  function choices(element, index, ctx, kind) {
    const node = el("div", "choices");
    node.dataset.actionId = element.action_id || "";
    const chosen = new Set(
      (element.initial_options || (element.initial_option ? [element.initial_option] : [])).map(
        (option) => option.value,
      ),
    );
    const name = `${element.action_id}-${index}-${Math.random()}`;
    for (const option of options(element)) {
      const label = el("label", "choice");
      const box = el("input");
      box.type = kind;
      box.name = name;
      box.value = option.value;
      box.checked = chosen.has(option.value);
      label.append(box, text(option.text, ctx, "inline"));
      node.append(label);
    }
    return node;
  }

  function textInput(element, kind) {
    const multiline = element.multiline && kind === "plain_text_input";
    const node = el(multiline ? "textarea" : "input", "field");
    if (!multiline) node.type = kind === "number_input" ? "text" : "text";
    node.dataset.actionId = element.action_id || "";
    node.placeholder = plain(element.placeholder);
    const initial = element.initial_value;
    if (initial !== undefined && initial !== null) node.value = String(initial);
    return node;
  }

  // An interactive element: `live` ones act at once (messages, actions blocks); inputs wait.
  function element(element, index, ctx, live) {
    switch (element.type) {
      case "button":
        return button(element, index, ctx);
      case "static_select":
      case "external_select":
      case "overflow":
        return select(element, index, ctx, live);
      case "checkboxes":
        return choices(element, index, ctx, "checkbox");
      case "radio_buttons":
        return choices(element, index, ctx, "radio");
      case "plain_text_input":
      case "number_input":
      case "url_text_input":
      case "email_text_input":
        return textInput(element, element.type);
      case "image":
        return el("span", "image", `[${element.alt_text || "image"}]`);
      default:
        return el("span", "unsupported", `[${element.type}]`);
    }
  }

  function section(block, index, ctx) {
    const node = el("div", "section");
    const body = el("div", "section-body");
    if (block.text) body.append(text(block.text, ctx));
    if (block.fields) {
      const grid = el("div", "fields");
      for (const field of block.fields) grid.append(text(field, ctx, "field-text"));
      body.append(grid);
    }
    node.append(body);
    if (block.accessory) node.append(element(block.accessory, index, ctx, true));
    return node;
  }

  function richElement(part, ctx) {
    if (part.type === "link") {
      const link = el("span", "link", part.text || part.url || "");
      link.title = part.url || "";
      return link;
    }
    if (part.type === "user") return el("span", "mention", "@" + (ctx.names(part.user_id) || part.user_id));
    if (part.type === "channel") return el("span", "mention", "#" + part.channel_id);
    if (part.type === "emoji") return el("span", "emoji", Mrkdwn.emoji(`:${part.name}:`));
    if (part.type === "broadcast") return el("span", "mention", "@" + part.range);
    const style = part.style || {};
    const tag = style.code ? "code" : style.bold ? "b" : style.italic ? "i" : style.strike ? "s" : "span";
    return el(tag, "", part.text || "");
  }

  function richText(block, ctx) {
    const node = el("div", "rich");
    for (const container of block.elements || []) {
      const parts = (container.elements || []).map((part) =>
        part.type === "rich_text_section" ? richText({ elements: [part] }, ctx) : richElement(part, ctx),
      );
      if (container.type === "rich_text_preformatted") {
        const pre = el("pre");
        pre.append(...parts);
        node.append(pre);
      } else if (container.type === "rich_text_quote") {
        const quote = el("blockquote");
        quote.append(...parts);
        node.append(quote);
      } else if (container.type === "rich_text_list") {
        const list = el(container.style === "ordered" ? "ol" : "ul");
        for (const part of parts) {
          const item = el("li");
          item.append(part);
          list.append(item);
        }
        node.append(list);
      } else {
        const line = el("div", "rich-section");
        line.append(...parts);
        node.append(line);
      }
    }
    return node;
  }

  function input(block, index, ctx) {
    const node = el("div", "input-block");
    const label = el("label", "input-label", plain(block.label));
    if (block.optional) label.append(el("span", "optional", " (optional)"));
    node.append(label);
    if (block.element) node.append(element(block.element, index, ctx, Boolean(block.dispatch_action)));
    if (block.hint) node.append(text(block.hint, ctx, "hint"));
    return node;
  }

  function one(block, index, ctx) {
    switch (block.type) {
      case "header":
        return el("h3", "header", plain(block.text));
      case "section":
        return section(block, index, ctx);
      case "context": {
        const node = el("div", "context");
        for (const part of block.elements || []) {
          node.append(part.type === "image" ? el("span", "image", `[${part.alt_text || "image"}]`) : text(part, ctx, "inline"));
        }
        return node;
      }
      case "divider":
        return el("hr", "divider");
      case "rich_text":
        return richText(block, ctx);
      case "actions": {
        const node = el("div", "actions");
        for (const part of block.elements || []) node.append(element(part, index, ctx, true));
        return node;
      }
      case "input":
        return input(block, index, ctx);
      case "image":
        return el("div", "image", `[${block.alt_text || "image"}]`);
      case "markdown":
        return el("div", "text", block.text || "");
      default:
        return el("div", "unsupported", `[${block.type} block]`);
    }
  }

  // Render a list of blocks; `ctx` gives act(index, action), confirm(dialog, answer), names(id).
  function render(blocks, ctx) {
    const root = el("div", "blocks");
    (blocks || []).forEach((block, index) => {
      const node = one(block, index, ctx);
      node.classList.add("block");
      node.dataset.blockIndex = String(index);
      if (block.block_id) node.dataset.blockId = block.block_id;
      root.append(node);
    });
    return root;
  }

  // Read what a person entered in a modal: block_id → action_id → value (as the sender expects).
  function values(root, blocks) {
    const found = {};
    (blocks || []).forEach((block, index) => {
      if (block.type !== "input" && block.type !== "actions") return;
      const node = root.querySelector(`[data-block-index="${index}"]`);
      if (!node || !block.block_id) return;
      for (const control of node.querySelectorAll("[data-action-id]")) {
        const id = control.dataset.actionId;
        let value;
        if (control.classList.contains("choices")) {
          const picked = [...control.querySelectorAll("input:checked")].map((box) => box.value);
          value = control.querySelector("input[type=radio]") ? picked[0] || null : picked;
        } else if (control.tagName === "BUTTON") {
          continue;
        } else {
          value = control.value === "" ? null : control.value;
        }
        (found[block.block_id] = found[block.block_id] || {})[id] = value;
      }
    });
    return found;
  }

  return { render, values, text, plain };
})();
