"""pytest integration of the test framework: fixtures, markers, seed header, log scope, leak check.

Loaded through the `pytest11` entry point `app`. It depends on pytest and
psutil, which is why it lives apart from the dependency-free `app.testingshim`.
"""
