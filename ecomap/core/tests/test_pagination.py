from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_page_links_keep_the_filters_and_change_only_the_page():
    request = RequestFactory().get("/audit/", {"action": "ecomap.client.viewed", "page": "2",
                                               "q": "a&b"})
    page = Paginator(list(range(30)), 10).page(2)
    html = render_to_string("pagination.html", {"page": page, "request": request})
    assert 'href="?action=ecomap.client.viewed&amp;page=1&amp;q=a%26b"' in html
    assert 'href="?action=ecomap.client.viewed&amp;page=3&amp;q=a%26b"' in html
    assert "Page 2 of 3" in html
    assert render_to_string("pagination.html", {"page": Paginator([1], 10).page(1),
                                                "request": request}).strip() == ""
