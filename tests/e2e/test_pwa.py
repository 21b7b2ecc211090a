"""The installable app: the service worker caches the shell and answers offline."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_the_service_worker_caches_the_shell_and_shows_the_offline_page(
    browser: Any, live_server: Any
) -> None:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/sign-in/")
    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == live_server.url + "/"
    cached = page.evaluate(
        """async () => {
            const names = await caches.keys();
            const cache = await caches.open(names[0]);
            return (await cache.keys()).map(r => new URL(r.url).pathname);
        }"""
    )
    assert "/static/walkwell/walkwell.css" in cached
    assert "/offline/" in cached
    page.reload()  # now controlled by the worker
    context.set_offline(True)
    page.goto("/learn/")
    assert page.locator("h1").inner_text() == "You are offline"
    context.close()
