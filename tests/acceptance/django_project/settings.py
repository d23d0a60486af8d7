"""Settings of the acceptance tests' Django project: the database comes from the environment.

test_django.py copies this project into a temporary directory per server and runs drive.py there
with APP_DJANGO_HOST, APP_DJANGO_PORT, APP_DJANGO_USER, APP_DJANGO_PASSWORD and APP_DJANGO_NAME set.
"""

import os

SECRET_KEY = "acceptance-tests-only"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"  # a named zone would need CONVERT_TZ and MariaDB's time zone tables, absent on a fresh install
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "shop",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": ["django.template.context_processors.request",
                                       "django.contrib.auth.context_processors.auth",
                                       "django.contrib.messages.context_processors.messages"]},
}]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.mysql",  # mysqlclient
        "HOST": os.environ["APP_DJANGO_HOST"],
        "PORT": os.environ["APP_DJANGO_PORT"],
        "USER": os.environ["APP_DJANGO_USER"],
        "PASSWORD": os.environ["APP_DJANGO_PASSWORD"],
        "NAME": os.environ["APP_DJANGO_NAME"],
        "OPTIONS": {"charset": "utf8mb4", "connect_timeout": 5, "read_timeout": 30, "ssl_mode": "DISABLED"},
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
