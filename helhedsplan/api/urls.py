"""/api/v1/: the ninja API's URLs, in the ``api`` namespace (``api:scorecard``,
``api:openapi-json``, ``api:openapi-view``...)."""

from helhedsplan.api.api import api

app_name = "api"

urlpatterns = api.urls[0]
