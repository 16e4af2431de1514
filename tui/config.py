"""The user's config.toml (in the config folder): a keymap of binding id -> keys, and
the reader's settings.

    [keymap]
    "annotate.tag" = "T"
    "suggest.accept" = "a,enter"

    [reader]
    max_width = 100   # the widest line of the article, in cells; 0: as wide as the window

Which highlight layers are shown is remembered apart, in ``layers.json`` (tui/layers.py).
"""

from __future__ import annotations

from annotations import paths

CONFIG_FILENAME = "config.toml"


class ConfigError(Exception):
    """The config file exists but cannot be used; the message names it."""


def load_config() -> dict:
    path = paths.config_dir() / CONFIG_FILENAME
    if not path.exists():
        return {}
    import tomllib  # only when there is a config file: keeps start-up light

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror or error})") from None
    except ValueError as error:  # tomllib.TOMLDecodeError, or bytes that are not UTF-8
        raise ConfigError(f"{path}: not valid TOML ({error}); using the default keys") from None


def load_keymap() -> dict[str, str]:
    keymap = load_config().get("keymap", {})
    if not isinstance(keymap, dict):
        return {}
    return {str(k): str(v) for k, v in keymap.items() if isinstance(v, str)}


DEFAULT_MAX_WIDTH = 100  # cells: a comfortable line on a very wide terminal


def reader_max_width(config: dict | None = None) -> int:
    """``[reader] max_width`` of config.toml: a whole number >= 20, or 0 for no cap; else the default."""
    if config is None:
        try:
            config = load_config()
        except ConfigError:
            return DEFAULT_MAX_WIDTH  # the app reports the broken file once, with the keymap
    reader = config.get("reader", {})
    value = reader.get("max_width", DEFAULT_MAX_WIDTH) if isinstance(reader, dict) else DEFAULT_MAX_WIDTH
    if isinstance(value, bool) or not isinstance(value, int) or (value and value < 20):
        return DEFAULT_MAX_WIDTH
    return value
