"""The local workspace page as a person uses it: type, click, confirm, read."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tests.browser.cdp import Session

WAIT_SECONDS = 30.0


class PageError(AssertionError):
    """The page threw, or never showed what a test waited for."""


def _js(value: Any) -> str:
    return json.dumps(value)


class Page:
    """Drive the page through DevTools: keyboard and mouse events, reads of what it shows."""

    def __init__(self, session: Session) -> None:
        self.session = session

    async def open(self, url: str) -> None:
        """Load the page and wait until it has drawn the workspace."""
        await self.session.call("Runtime.enable")
        await self.session.call("Page.enable")
        await self.session.call("Page.navigate", url=url)
        await self.wait_for("document.body && document.body.dataset.ready === 'true'", "the page")

    async def js(self, expression: str) -> Any:
        """Evaluate JavaScript in the page and return its value."""
        result = await self.session.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise PageError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def thrown(self) -> list[str]:
        """Return the JavaScript exceptions the page threw, and console errors."""
        found = []
        for event in self.session.events:
            params = event.get("params", {})
            if event.get("method") == "Runtime.exceptionThrown":
                found.append(json.dumps(params.get("exceptionDetails", {}))[:500])
            if event.get("method") == "Runtime.consoleAPICalled" and params.get("type") == "error":
                found.append(json.dumps(params.get("args", []))[:500])
        return found

    async def text(self, selector: str = "body") -> str:
        """Return what the page shows inside `selector` (innerText), or an empty string."""
        value = await self.js(
            f"(document.querySelector({_js(selector)}) || {{innerText: ''}}).innerText"
        )
        return str(value)

    async def wait_for(self, expression: str, what: str) -> Any:
        """Poll a JavaScript expression until it is truthy (bounded); return its value.

        The value comes back as JSON: an expression must yield a boolean, a string, a number or
        a plain object, never a DOM node (which arrives as an empty, falsy dict).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_SECONDS
        while True:
            value = await self.js(expression)
            if value:
                return value
            if loop.time() > deadline:
                shown = await self.text()
                raise PageError(f"waited for {what}; the page shows:\n{shown[-3000:]}")
            await asyncio.sleep(0.1)

    async def wait_for_text(self, text: str, selector: str = "body") -> None:
        """Wait until `text` shows inside `selector`."""
        node = f"document.querySelector({_js(selector)})"
        await self.wait_for(f"{node} && {node}.innerText.includes({_js(text)})", repr(text))

    async def wait_gone(self, selector: str) -> None:
        """Wait until nothing matches `selector`, or it is hidden."""
        node = f"document.querySelector({_js(selector)})"
        await self.wait_for(f"!{node} || {node}.hidden", f"{selector} to go")

    async def send(self, command: str) -> None:
        """Type a command in the composer and press Enter, as a person does."""
        await self.js("document.getElementById('command').focus()")
        await self.session.call("Input.insertText", text=command)
        for kind in ("keyDown", "keyUp"):
            await self.session.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key="Enter",
                code="Enter",
                windowsVirtualKeyCode=13,
                text="\r" if kind == "keyDown" else "",
            )

    async def click(
        self,
        finder: str,
        what: str,
        *,
        meanwhile: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Click, with the mouse, the element a JavaScript expression finds.

        `meanwhile` runs between pressing and releasing the button, as when a page redraws under
        a person's finger.
        """
        rect = await self.wait_for(
            f"(() => {{ const node = {finder}; if (!node) return null;"
            " node.scrollIntoView({block: 'center'}); const r = node.getBoundingClientRect();"
            " return r.width > 0 ? {x: r.x + r.width / 2, y: r.y + r.height / 2} : null; })()",
            what,
        )
        for kind in ("mousePressed", "mouseReleased"):
            await self.session.call(
                "Input.dispatchMouseEvent",
                type=kind, x=rect["x"], y=rect["y"], button="left", clickCount=1,
            )  # fmt: skip
            if kind == "mousePressed" and meanwhile is not None:
                await meanwhile()

    async def click_button(
        self,
        label: str,
        *,
        within: str = "body",
        meanwhile: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Click the last button labelled `label` inside the last element matching `within`."""
        finder = (
            f"[...document.querySelectorAll({_js(within)})].reverse()"
            f".flatMap(n => [...n.querySelectorAll('button')].reverse())"
            f".find(b => b.textContent.trim() === {_js(label)} && b.offsetParent !== null)"
        )
        await self.click(finder, f"a button {label!r} in {within}", meanwhile=meanwhile)

    async def settled(self) -> None:
        """Wait until the page shows the person and channel last chosen, no fetch under way."""
        await self.wait_for("window.workspaceSettled()", "the page to finish switching")

    async def be(self, person: str) -> None:
        """Switch to another person (`wang (zh-CN)`) and wait until the page is theirs."""
        await self.choose(person, within="#sidebar")
        await self.settled()

    async def open_channel(self, name: str) -> None:
        """Open a channel from the sidebar (`training`) and wait until the page shows it."""
        await self.settled()
        await self.click_button(f"# {name}", within="#channels")
        await self.wait_for_text(f"#{name}", "#channel-head")
        await self.settled()

    async def choose(self, option: str, *, within: str) -> None:
        """Pick an option by its label in the last menu inside `within` (a native select)."""
        await self.wait_for(
            f"(() => {{ const menus = [...document.querySelectorAll({_js(within + ' select')})];"
            " const menu = menus[menus.length - 1]; if (!menu) return false;"
            f" const item = [...menu.options].find(o => o.text === {_js(option)});"
            " if (!item) return false; menu.value = item.value;"
            " menu.dispatchEvent(new Event('change')); return true; })()",
            f"a menu with {option!r} in {within}",
        )

    async def screenshot(self, path: Path) -> None:
        """Save what the page shows now as a PNG (DevTools' `Page.captureScreenshot`)."""
        shot = await self.session.call("Page.captureScreenshot", format="png")
        path.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(path.write_bytes, base64.b64decode(shot["data"]))
