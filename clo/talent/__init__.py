"""Talent: succession and knowledge at risk, careers and recognition, expertise, communities and challenge projects.

It sits above programs (it reads training, sessions and the catalogue through ``programs.selectors``) and below the
dashboards and the API (DESIGN.md). Each sub-domain has the same name in every package: ``models/succession.py``,
``selectors/succession.py``, ``services/succession.py``, ``views/succession.py``, and one ``urls.py`` that lists every route.
"""
