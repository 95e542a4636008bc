"""Modals (`views.open|update|push`), App Home (`views.publish`) and the external file upload
steps."""

from __future__ import annotations

from bot.workspace.blocks import MAX_VIEW_BLOCKS, check_blocks
from bot.workspace.model import JsonDict, Message, SlackError, StoredFile, View
from bot.workspace.params import integer, json_list, json_object, required, text
from bot.workspace.state import Workspace

_MAX_PRIVATE_METADATA = 3000
_MAX_TITLE = 24


def _checked_view(params: JsonDict) -> JsonDict:
    view = json_object(params, "view")
    if view is None:
        raise SlackError("invalid_arguments", detail="missing required field: view")
    check_blocks(json_list(view, "blocks"), limit=MAX_VIEW_BLOCKS)
    if len(str(view.get("private_metadata") or "")) > _MAX_PRIVATE_METADATA:
        raise SlackError("invalid_arguments", detail="private_metadata longer than 3000")
    for part in ("title", "submit", "close"):
        label = view.get(part)
        if isinstance(label, dict) and len(str(label.get("text") or "")) > _MAX_TITLE:
            raise SlackError("invalid_arguments", detail=f"{part} longer than 24 characters")
    return view


def _store(ws: Workspace, view: JsonDict, trigger_id: str, previous: View | None) -> JsonDict:
    view_id = ws.next_id("V")
    stored = View(
        view_id,
        view,
        hash=ws.next_ts(),
        trigger_id=trigger_id,
        root_view_id=previous.root_view_id if previous else view_id,
        previous_view_id=previous.id if previous else None,
        external_id=text(view, "external_id"),
    )
    ws.views[view_id] = stored
    return {"view": stored.as_api()}


def views_open(ws: Workspace, params: JsonDict) -> JsonDict:
    """Open a modal for a trigger; return the view with its id."""
    trigger_id = required(params, "trigger_id", "invalid_trigger_id")
    return _store(ws, _checked_view(params), trigger_id, None)


def views_push(ws: Workspace, params: JsonDict) -> JsonDict:
    """Push a modal on top of the most recently opened one."""
    trigger_id = required(params, "trigger_id", "invalid_trigger_id")
    view = _checked_view(params)
    previous = next(reversed(ws.views.values()), None)
    return _store(ws, view, trigger_id, previous)


def views_update(ws: Workspace, params: JsonDict) -> JsonDict:
    """Replace a modal's content by view id or external id, honouring `hash`."""
    view = _checked_view(params)
    view_id, external_id = text(params, "view_id"), text(params, "external_id")
    matches = [
        v
        for v in ws.views.values()
        if v.id == view_id or (external_id and v.external_id == external_id)
    ]
    if not matches:
        raise SlackError("not_found")
    stored = matches[0]
    expected = text(params, "hash")
    if expected is not None and expected != stored.hash:
        raise SlackError("hash_conflict")
    stored.view = view
    stored.hash = ws.next_ts()
    stored.versions += 1
    return {"view": stored.as_api()}


def views_publish(ws: Workspace, params: JsonDict) -> JsonDict:
    """Publish a member's App Home view, checked like a modal; honour `hash` when given."""
    user_id = required(params, "user_id", "invalid_arguments")
    if user_id not in ws.users or ws.users[user_id].is_bot:
        raise SlackError("user_not_found")
    view = _checked_view(params)
    if view.get("type") != "home":
        raise SlackError("invalid_arguments", detail="view.type must be home")
    previous = ws.homes.get(user_id)
    expected = text(params, "hash")
    if expected is not None and previous is not None and expected != previous.hash:
        raise SlackError("hash_conflict")
    view_id = previous.id if previous else ws.next_id("V")
    versions = previous.versions + 1 if previous else 1
    stored = View(view_id, view, ws.next_ts(), None, view_id, versions=versions)
    ws.homes[user_id] = stored
    return {"view": stored.as_api()}


_MAX_ALT_TEXT = 1000


def get_upload_url(ws: Workspace, params: JsonDict) -> JsonDict:
    """Announce a file; return the URL to upload its bytes to and the file id."""
    filename = required(params, "filename", "invalid_arguments")
    length = integer(params, "length", 0, low=1, high=1_000_000_000)
    if length <= 0:
        # Slack's own word for a zero length, as its method documentation lists it.
        raise SlackError("missing_argument", detail="length must be positive")
    alt_text = text(params, "alt_txt")
    if alt_text is not None and len(alt_text) > _MAX_ALT_TEXT:
        raise SlackError("alt_txt_too_large")
    file_id = ws.next_id("F")
    ws.files[file_id] = StoredFile(file_id, filename, length, alt_text=alt_text)
    return {"upload_url": f"{ws.base_url}upload/{file_id}", "file_id": file_id}


def _share(ws: Workspace, params: JsonDict, shared: list[StoredFile]) -> None:
    channel_ref = text(params, "channel_id") or text(params, "channels")
    if channel_ref is None:
        return
    channel = ws.writable(channel_ref.split(",")[0])
    thread_ts = text(params, "thread_ts")
    if thread_ts is not None:
        thread_ts = ws.thread_root(channel, thread_ts).ts
    for item in shared:
        item.channel, item.thread_ts = channel.id, thread_ts
    comment = text(params, "initial_comment")
    for item in shared:
        item.initial_comment = comment
    files = [item.as_api() for item in shared]
    message = Message(channel.id, ws.next_ts(), comment or "", [], thread_ts=thread_ts, files=files)
    channel.messages.append(message)


def complete_upload(ws: Workspace, params: JsonDict) -> JsonDict:
    """Finish uploads: title the files and share them in a channel or thread."""
    entries = json_list(params, "files")
    if not entries:
        raise SlackError("invalid_arguments", detail="files must not be empty")
    shared: list[StoredFile] = []
    for entry in entries:
        stored = ws.files.get(str(entry.get("id")))
        if stored is None or not stored.uploaded:
            raise SlackError("file_not_found")
        shared.append(stored)
    for stored, entry in zip(shared, entries, strict=True):
        stored.title = text(entry, "title") or stored.filename
    _share(ws, params, shared)
    for stored in shared:
        stored.completed = True
    return {"files": [stored.as_api() for stored in shared]}
