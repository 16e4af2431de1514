"""The user's config.toml (in the config folder): a keymap of binding id -> keys.

    [keymap]
    "annotate.tag" = "T"
    "suggest.accept" = "a,enter"
"""

from __future__ import annotations

import tomllib

from annotations import paths

CONFIG_FILENAME = "config.toml"


def load_config() -> dict:
    path = paths.config_dir() / CONFIG_FILENAME
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def load_keymap() -> dict[str, str]:
    keymap = load_config().get("keymap", {})
    if not isinstance(keymap, dict):
        return {}
    return {str(k): str(v) for k, v in keymap.items() if isinstance(v, str)}
