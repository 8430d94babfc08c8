"""Shop backends implementing :class:`core.shop.ShopPort`.

* :class:`DemoShop`: an embedded, seeded SQLite shop, so everything runs out of the box;
  :data:`DEMO_ORDER_NOS` / :data:`DEMO_CARD_KEYS` name its demo data.
* :class:`HttpShop`: a client of a real shop's API, specified in ``openapi.yaml`` here.

:func:`create_shop` picks one from the ``[shop]`` config section.
"""

from __future__ import annotations

from adapters.shop.demo import DemoShop
from adapters.shop.demo_data import DEMO_CARD_KEYS, DEMO_ORDER_NOS, describe
from adapters.shop.factory import create_shop
from adapters.shop.http import HttpShop, RetryPolicy

__all__ = [
    "DEMO_CARD_KEYS",
    "DEMO_ORDER_NOS",
    "DemoShop",
    "HttpShop",
    "RetryPolicy",
    "create_shop",
    "describe",
]
