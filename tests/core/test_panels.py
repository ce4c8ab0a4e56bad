import pytest

from hamkor.core import panels
from hamkor.core.panels import ContactPanel, panels_for, register_panel


@pytest.fixture(autouse=True)
def _empty_registry(monkeypatch):
    monkeypatch.setattr(panels, "_panels", {})


def test_panels_for_orders_panels_and_passes_contact_and_viewer():
    register_panel(ContactPanel("b", "b.html", lambda c, v: {"who": (c, v)}, order=20))
    register_panel(ContactPanel("a", "a.html", lambda c, v: {"n": 1}, order=20))
    register_panel(ContactPanel("z", "z.html", lambda c, v: {}, order=5))

    rendered = panels_for("contact", "viewer")

    assert [p.key for p in rendered] == ["z", "a", "b"]
    assert rendered[2].template == "b.html"
    assert rendered[2].context == {"who": ("contact", "viewer")}


def test_panels_for_leaves_out_a_panel_with_nothing_to_show():
    register_panel(ContactPanel("empty", "e.html", lambda c, v: None))

    assert panels_for("contact", "viewer") == []


def test_register_panel_replaces_the_same_key():
    register_panel(ContactPanel("a", "old.html", lambda c, v: {}))
    register_panel(ContactPanel("a", "new.html", lambda c, v: {}))

    assert [p.template for p in panels_for("contact", "viewer")] == ["new.html"]
