"""A one-file Django project with django-cors-headers at its defaults (CORS_ALLOW_HEADERS lacks
X-Api-Key). StackFixTests puts `cors check`'s first fix on the marked line of the settings.

Run: python django_missing_header.py PORT
"""
import sys

from corsheaders.defaults import default_headers, default_methods  # noqa: F401 (the fix may use them)
from django.conf import settings
from django.http import JsonResponse
from django.urls import path

CORS_ALLOWED_ORIGINS = ["http://localhost:5173"]
CORS_ALLOW_CREDENTIALS = True
# cors check's fix goes here


def me(request):
    return JsonResponse({"user": "alice"})


urlpatterns = [path("me", me)]

settings.configure(
    DEBUG=False,
    SECRET_KEY="stack-fix-tests",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["corsheaders"],
    MIDDLEWARE=[
        "corsheaders.middleware.CorsMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    **{name: value for name, value in dict(globals()).items() if name.startswith("CORS_")},
)

if __name__ == "__main__":
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    execute_from_command_line([sys.argv[0], "runserver", f"127.0.0.1:{sys.argv[1]}", "--noreload", "--nothreading"])
