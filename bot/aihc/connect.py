"""Build the AIHC client of the API version the bot is set to speak."""

from __future__ import annotations

from typing import Unpack

from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.transport import TransportOptions
from bot.aihc.v2.client import AihcV2Client
from bot.domain import ApiVersion


def aihc_client(
    version: ApiVersion,
    endpoint: str,
    access_key: str,
    secret_key: SecretStr,
    **options: Unpack[TransportOptions],
) -> AihcClient:
    """Return a client of `endpoint` speaking AIHC API `version`."""
    kind = AihcV2Client if version is ApiVersion.V2 else AihcClient
    return kind(endpoint, access_key, secret_key, **options)
