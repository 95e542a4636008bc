// Slack mrkdwn to DOM nodes. Every piece of text goes in with textContent or a text node: nothing
// the app (or AIHC, or a person) wrote can ever become HTML.
"use strict";

const Mrkdwn = (() => {
  const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">" };
  const INLINE = new RegExp(
    [
      "(`[^`\\n]+`)", // code
      "(<[^<>\\n]+>)", // link, mention, special
      "((?<![\\w*])\\*(?!\\s)[^*\\n]+?(?<!\\s)\\*(?![\\w*]))", // bold
      "((?<![\\w_])_(?!\\s)[^_\\n]+?(?<!\\s)_(?![\\w_]))", // italic
      "((?<![\\w~])~(?!\\s)[^~\\n]+?(?<!\\s)~(?![\\w~]))", // strike
    ].join("|"),
    "g",
  );

  // The emoji codes the bot writes, and a few more; any other :code: stays as it is.
  const EMOJI = {
    bar_chart: "📊", black_square_for_stop: "⏹️", boom: "💥", calendar: "📆",
    double_vertical_bar: "⏸️", grey_question: "❔", hourglass_flowing_sand: "⏳",
    information_source: "ℹ️", large_green_circle: "🟢", large_yellow_circle: "🟡",
    large_blue_circle: "🔵", mag: "🔍", mute: "🔇", new: "🆕", no_entry: "⛔",
    no_entry_sign: "🚫", octagonal_sign: "🛑", page_facing_up: "📄", red_circle: "🔴",
    repeat: "🔁", rocket: "🚀", rotating_light: "🚨", sparkles: "✨", thinking_face: "🤔",
    warning: "⚠️", wastebasket: "🗑️", white_check_mark: "✅", x: "❌", hourglass: "⌛",
    bell: "🔔", no_bell: "🔕", eyes: "👀", tada: "🎉", fire: "🔥", zzz: "💤",
  };

  function emoji(text) {
    return text.replace(/:([a-z0-9_+-]+):/g, (code, name) => EMOJI[name] || code);
  }

  function decode(text) {
    return text.replace(/&(amp|lt|gt);/g, (entity) => ENTITIES[entity]);
  }

  // Running text: entities decoded and emoji codes drawn (never inside code or pre).
  function words(text) {
    return emoji(decode(text));
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // <http://x|label>, <@U1>, <#C1|name>, <!here>, <!date^…|fallback>, <!subteam^S1|@team>
  function angle(inner, names) {
    const bar = inner.indexOf("|");
    const target = bar >= 0 ? inner.slice(0, bar) : inner;
    const label = bar >= 0 ? inner.slice(bar + 1) : "";
    if (target.startsWith("@")) {
      const id = target.slice(1);
      return el("span", "mention", "@" + (label || names(id) || id));
    }
    if (target.startsWith("#")) {
      const id = target.slice(1);
      return el("span", "mention", "#" + decode(label || names(id) || id));
    }
    if (target.startsWith("!")) {
      const special = target.slice(1).split("^")[0];
      if (label) return el("span", "mention", decode(label));
      return el("span", "mention", "@" + special);
    }
    const link = el("span", "link", decode(label || target));
    link.title = decode(target);
    return link;
  }

  function inline(text, parent, names) {
    let last = 0;
    // matchAll works on a copy of the pattern, so the nested calls below cannot disturb it.
    for (const match of text.matchAll(INLINE)) {
      if (match.index > last) parent.append(words(text.slice(last, match.index)));
      const [whole, code, link, bold, italic, strike] = match;
      if (code) parent.append(el("code", "", decode(code.slice(1, -1))));
      else if (link) parent.append(angle(link.slice(1, -1), names));
      else {
        const tag = bold ? "b" : italic ? "i" : "s";
        const node = el(tag);
        inline(whole.slice(1, -1), node, names);
        parent.append(node);
      }
      last = match.index + whole.length;
    }
    if (last < text.length) parent.append(words(text.slice(last)));
  }

  // Render `text` into `parent`: ```pre``` blocks first, then inline marks in what is left.
  function render(text, parent, names = () => null) {
    const parts = String(text).split("```");
    parts.forEach((part, index) => {
      if (index % 2 === 1 && index < parts.length - 1) {
        parent.append(el("pre", "", decode(part.replace(/^\n/, ""))));
      } else {
        inline(index % 2 === 1 ? "```" + part : part, parent, names);
      }
    });
    return parent;
  }

  return { render, decode, words, emoji, el };
})();
