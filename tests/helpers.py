"""Small, valid input files as text, for tests that vary one thing at a time.

Importable as ``helpers`` because pyproject.toml puts ``tests/`` on pytest's path."""

VALID_REGISTER = (
    "id;omraade;titel;omkostning_min;omkostning_max;andel_anlaeg;fordeling;forudsaetter;variantgruppe\n"
    'A;Data;Dataplatform;2000;10000;0,3;"50;50";;\n'
    "B;Data;Datakvalitet;1.000;2.500,5;0;100;A;\n"
    'C;Net;Lille net;10000;10000;0.8;"60;40";;5g\n'
    "D;Net;Stort net;25000;25000;0.8;;;5g\n"
)

VALID_FRAME = (
    "aar;styringsomraade;beloeb;pl_aar\n"
    "2026;service;15.000;2026\n"
    "2026;anlæg;5.000;2026\n"
    "2027;service;25.000;2026\n"
    "2027;anlaeg;10.000;2026\n"
)
