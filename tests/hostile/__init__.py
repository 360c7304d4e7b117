"""Tests of the library and the command under hostile conditions."""
