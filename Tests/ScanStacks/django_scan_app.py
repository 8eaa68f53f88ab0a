"""A one-file Django project with django-cors-headers, the textbook setup (CorsMiddleware first, an
explicit origin list, credentials), for `cors scan`'s real-stack tests
(Tests/CORSCommandLineTests/ScanRealStackTests.swift).

Run: python django_scan_app.py PORT
"""
import sys

from django.conf import settings
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_http_methods

settings.configure(
    DEBUG=False,
    SECRET_KEY="scan-tests-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["corsheaders"],
    MIDDLEWARE=[
        "corsheaders.middleware.CorsMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    CORS_ALLOWED_ORIGINS=["https://app.example.test"],
    CORS_ALLOW_CREDENTIALS=True,
)


@require_http_methods(["GET", "PUT"])
def me(request):
    return JsonResponse({"user": "alice"})


urlpatterns = [path("api/me", me)]

if __name__ == "__main__":
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    execute_from_command_line([sys.argv[0], "runserver", f"127.0.0.1:{sys.argv[1]}", "--noreload"])
