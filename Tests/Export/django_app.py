"""The conformance routes (Tests/CORSConformanceTests/ConformanceRoutes.swift) in Django, one
file, behind the `cors export --to django` module, cors_policy.py, found on PYTHONPATH, installed
the way its header says: application = cors_policy.CORSPolicyWSGI(get_wsgi_application()).
Served by Django's own runserver, which loads WSGI_APPLICATION.

Run: PYTHONPATH=DIR:Tests/Export python Tests/Export/django_app.py PORT
"""
import sys

from django.conf import settings

# runserver imports this file a second time, as django_app, for WSGI_APPLICATION.
if not settings.configured:
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF="django_app",
        WSGI_APPLICATION="django_app.application",
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        SECRET_KEY="conformance-tests-only",
        LOGGING_CONFIG=None,
    )

import django  # noqa: E402

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

import cors_policy  # noqa: E402


@csrf_exempt
def me(request):
    if request.method == "GET":
        return JsonResponse({"user": "alice"}, headers={"X-Request-Id": "42"})
    if request.method == "PUT":
        return JsonResponse({"user": "alice"})
    if request.method == "DELETE":
        return HttpResponse(status=204)
    return HttpResponse(status=404)


def only(method, view):
    return lambda request: view(request) if request.method == method else HttpResponse(status=404)


urlpatterns = [
    path("me", me),
    path("vary", only("GET", lambda request: JsonResponse({}, headers={"Vary": "Accept-Encoding"}))),
    path("own-cors", only("GET", lambda request: JsonResponse({}, headers={"Access-Control-Allow-Origin": "*"}))),
    path("boom", only("GET", lambda request: 1 / 0)),
    path("unauthorized", only("GET", lambda request: JsonResponse({}, status=401, headers={"WWW-Authenticate": "Bearer"}))),
    path("options-route", only("OPTIONS", lambda request: HttpResponse(status=200, headers={"X-Handled-By": "app"}))),
]

application = cors_policy.CORSPolicyWSGI(get_wsgi_application())

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0], "runserver", "--noreload", f"127.0.0.1:{sys.argv[1]}"])
