"""/api/ answers an index of the API: where the schema and its docs are, and every endpoint
without an id in its path."""

from __future__ import annotations


def test_the_index_names_the_schema_the_docs_and_the_endpoints(api):
    response = api.get("/api/")
    assert response.status_code == 200
    body = response.json()
    assert body["schema"] == "http://testserver/api/schema/"
    assert body["docs"] == "http://testserver/api/docs/"
    assert body["version"] == "http://testserver/api/version/"
    assert body["endpoints"]["api-videos"] == "http://testserver/api/videos/"
    assert body["endpoints"]["api-jobs"] == "http://testserver/api/jobs/"
    assert body["endpoints"]["api-bulk-download"] == "http://testserver/api/videos/bulk/download"
    assert not [url for url in body["endpoints"].values() if url.endswith("download/")]


def test_every_endpoint_the_index_names_is_there(api):
    for name, url in api.get("/api/").json()["endpoints"].items():
        # 405: an action (POST only); 403: staff only; 400: a search without its terms.
        assert api.get(url).status_code in (200, 400, 403, 405), name


def test_the_index_asks_for_a_login(client_for):
    response = client_for().get("/api/")
    assert response.status_code == 401
    assert response.json()["detail"]
