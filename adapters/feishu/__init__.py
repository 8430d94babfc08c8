"""The Feishu (Lark) channel: event callbacks on the shared aiohttp server, the OpenAPI over
aiohttp (see :mod:`adapters.feishu.api` for why not the lark-oapi SDK), interactive cards.

``python -m bots run`` loads :func:`create_feishu_adapter` when ``feishu.enabled`` is true.
All four secrets are required, the Encrypt Key included: the bot accepts only encrypted and
signed callbacks, because without an Encrypt Key Feishu signs nothing and sends the
verification token in clear in every body, so anyone who learns it could post events.
"""

from __future__ import annotations

from adapters.feishu.adapter import FeishuAdapter
from adapters.feishu.api import FeishuApi
from core.config import Config, ConfigError, secret
from core.runtime import Runtime

__all__ = ["FeishuAdapter", "create_feishu_adapter"]


def create_feishu_adapter(config: Config, runtime: Runtime) -> FeishuAdapter:
    """The Feishu adapter, with its secrets read from the environment variables in config."""
    feishu = config.feishu
    app_id = secret(feishu.app_id_env, key="feishu.app_id_env")
    app_secret = secret(feishu.app_secret_env, key="feishu.app_secret_env")
    try:
        encrypt_key = secret(feishu.encrypt_key_env, key="feishu.encrypt_key_env")
    except ConfigError as exc:
        raise ConfigError(
            f"{exc} The Feishu channel accepts only encrypted, signed callbacks: set an Encrypt "
            "Key in the Feishu developer console (Events & Callbacks → Encryption Strategy) "
            "and export the same value."
        ) from None
    token = secret(feishu.verification_token_env, key="feishu.verification_token_env")
    base = feishu.api_base.strip().rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise ConfigError(
            f"Config key `feishu.api_base` is {feishu.api_base!r}, which is not an http(s) URL. "
            'Fix: use "https://open.feishu.cn" (Feishu), "https://open.larksuite.com" (Lark) '
            "or the URL of your proxy."
        )
    api = FeishuApi(base, app_id, app_secret)
    return FeishuAdapter(
        api,
        runtime,
        encrypt_key=encrypt_key,
        verification_token=token,
        locale=config.conversation.default_locale,
        max_clock_skew_seconds=feishu.max_clock_skew_seconds,
    )
