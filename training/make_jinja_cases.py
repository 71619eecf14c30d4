#!/usr/bin/env python3
"""Renders the Jinja language cases of tests/jinja/cases.json with jinja2, set up as transformers sets it up
for chat templates (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loop controls, a
{% generation %} tag, tojson = json.dumps(ensure_ascii=False), raise_exception, strftime_now).

    python3 training/make_jinja_cases.py   # jinja2 3.1; rewrites tests/jinja/cases.json

Each case is a template and its variables; the file records the text jinja2 renders, or that it fails
(with the message, for raise_exception).
"""
import datetime
import json
import pathlib

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

PINNED_NOW = datetime.datetime(2024, 7, 26, 12, 34, 56)


class Generation(Extension):
    """transformers' {% generation %}: renders its body (transformers also tracks where it is)."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_support"), [], [], body).set_lineno(lineno)

    def _support(self, caller):
        return caller()


class Raised(Exception):
    pass


def raise_exception(message):
    raise Raised(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[Generation, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: PINNED_NOW.strftime(fmt)
    return env


MESSAGES = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "  Hi there!  \n"},
    {"role": "assistant", "content": "Hello.", "tool_calls": [{"function": {"name": "f", "arguments": {"x": 1}}}]},
    {"role": "user", "content": None},
]

# (template, variables). Variables are JSON values; "msgs" is MESSAGES.
CASES = [
    # whitespace control: trim_blocks, lstrip_blocks, - and +, comments, raw, the trailing newline
    ("a\n{% if true %}\nb\n{% endif %}\nc", {}),
    ("  {% if true %}x{% endif %}  \nz", {}),
    ("\t  {% if true %}\n  x\n\t{% endif %}\n", {}),
    ("a {% if true %}b{% endif %} c", {}),
    ("{%- if true -%}  x  {%- endif -%}  \n y", {}),
    ("a  {{- 'b' -}}  c", {}),
    ("a\n  {{ 'b' }}  \nc", {}),
    ("  {%+ if true %}x{% endif %}", {}),
    ("{% if true +%}\nx{% endif %}", {}),
    ("{% if true -%}\n\n  x{%- endif %}", {}),
    ("a {# comment #}\nb", {}),
    ("a\n  {# comment #}\nb", {}),
    ("a  {#- comment -#}  b", {}),
    ("{% raw %}{{ x }}{% if %}{% endraw %}", {}),
    ("a\n  {% raw %}\n{{ x }}\n  {% endraw %}\nb", {}),
    ("line\n", {}),
    ("line\n\n", {}),
    ("a\r\nb\r\n", {}),
    ("{{ 'x' }}\n", {}),
    ("{{ 'x\\n' }}", {}),
    ("{% for i in [1, 2] %}\n  {{ i }}\n{% endfor %}\n", {}),
    ("{% for i in [1, 2] -%}\n  {{ i }}\n{%- endfor %}", {}),
    ("<{%- for i in [1, 2] %} {{ i }} {% endfor -%}>", {}),
    ("{% set x = 1 %}\n{{ x }}", {}),
    ("{% macro m() %}\n  body\n{% endmacro %}\n[{{ m() }}]", {}),
    # literals and printing as Python's str()
    ("{{ 1 }} {{ -1 }} {{ 1.0 }} {{ 1.5e3 }} {{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 1_000 }}", {}),
    ("{{ 0.1 + 0.2 }} {{ 1e16 }} {{ 1e15 }} {{ 1e-5 }} {{ 0.0001 }} {{ 1/3 }} {{ -0.0 }} {{ 2.5e-7 }} {{ 123456789.0 }}", {}),
    ("{{ none }} {{ None }} {{ true }} {{ False }} {{ [] }} {{ {} }} {{ () }} {{ (1,) }} {{ (1, 'a') }}", {}),
    ("{{ ['a', \"it's\", 'say \"x\"', 'both \\' \"', 'back\\\\slash', 'tab\\t', 'nl\\n'] }}", {}),
    ("{{ ['\\x01', '\\x7f', '\\xa0', '\\u200b', 'é', '日本', '🦀', '\\u2028'] }}", {}),
    ("{{ {'a': 1, 'b': [none, true, 1.5], 'c': {'d': 'e'}} }}", {}),
    ("{{ msgs[0] }}", {"msgs": MESSAGES}),
    ("{{ 'a' 'b' \"c\" }}", {}),
    ("{{ '\\u00e9\\U0001F980\\x41\\101\\q\\\\' }}", {}),
    ("{{ 1, 2 }}", {}),
    ("{{ x }}|{{ x.y is defined }}|{{ d.missing }}|{{ d['missing'] }}", {"d": {"a": 1}}),
    # arithmetic and operators
    ("{{ 7 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 2 ** 10 }} {{ 2 ** -1 }}", {}),
    ("{{ 7.5 // 2 }} {{ -7.5 % 2 }} {{ 10 / 2 }} {{ 3 * 1.5 }} {{ true + 1 }} {{ -true }}", {}),
    ("{{ -2 ** 2 }} {{ 2 ** 3 ** 2 }} {{ 1 + 2 * 3 - 4 / 2 }} {{ (1 + 2) * 3 }}", {}),
    ("{{ 'ab' * 3 }} {{ 3 * 'ab' }} {{ [1] * 3 }} {{ 'a' + 'b' }} {{ [1] + [2] }} {{ (1,) + (2,) }}", {}),
    ("{{ 1 ~ 2 ~ 'x' ~ none ~ [1] }} {{ 'a' ~ undefined_name ~ 'b' }}", {}),
    ("{{ 1 < 2 < 3 }} {{ 1 < 3 > 2 }} {{ 3 > 2 > 2 }} {{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }}", {}),
    ("{{ 'a' in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }} {{ 'x' in undefined_name }}", {}),
    ("{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ '' and 'b' }} {{ none or [] }} {{ not 0 }} {{ not 'a' }}", {}),
    ("{{ 'yes' if 1 else 'no' }} {{ 'yes' if 0 else 'no' }} [{{ 'yes' if 0 }}] {{ 1 if 0 else 2 if 0 else 3 }}", {}),
    ("{{ not x is defined }} {{ x is not defined }} {{ not 1 == 2 }}", {}),
    ("{{ 1 + 2 | string }} {{ -3 | abs }} {{ 'a' ~ 1 + 2 }}", {}),
    ("{{ none == none }} {{ x == y }} {{ x == none }} {{ [1, [2]] == [1, [2]] }} {{ {'a': 1} == {'a': 1.0} }} {{ (1,) == [1] }}", {}),
    # indexing, slicing, attributes
    ("{{ s[0] }}{{ s[-1] }}{{ s[1:3] }}{{ s[::-1] }}{{ s[::2] }}{{ s[-2:] }}{{ s[:-2] }}{{ s[10:] }}|{{ s[5] }}|", {"s": "hello"}),
    ("{{ s[::-1] }} {{ s[1] }} {{ s[1:3] }} {{ s|length }}", {"s": "Größe 🦀 日本"}),
    ("{{ l[1:] }} {{ l[::-1] }} {{ l[-1] }} {{ l[1:-1:2] }} {{ l[5:1:-2] }} {{ l[::-2] }} {{ l[10] }}|{{ l.0 }}", {"l": [0, 1, 2, 3, 4, 5, 6]}),
    ("{{ d.a }} {{ d['a'] }} {{ d.items is callable }} {{ d['items'] }} {{ d.keys() | list }} {{ d.values() | list }}", {"d": {"a": 1, "items": 2}}),
    ("{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 5) }} {% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", {"d": {"a": 1, "b": 2}}),
    ("{{ msgs[2].tool_calls[0].function.arguments.x }} {{ msgs[2]['tool_calls'][0]['function']['name'] }}", {"msgs": MESSAGES}),
    ("{{ (msgs | selectattr('role', 'equalto', 'user') | list)[-1].content }}", {"msgs": MESSAGES}),
    # strings: Python methods
    ("[{{ s.strip() }}][{{ s.lstrip() }}][{{ s.rstrip() }}][{{ 'xxaxx'.strip('x') }}][{{ '\\n\\nhi\\n'.lstrip('\\n') }}]", {"s": "  a b  \n"}),
    ("{{ 'a,b,,c'.split(',') }} {{ ' a  b '.split() }} {{ 'a,b,c'.split(',', 1) }} {{ 'a,b,c'.rsplit(',', 1) }} {{ ' a b '.rsplit() }}", {}),
    ("{{ 'abc'.startswith('ab') }} {{ 'abc'.endswith(('x', 'c')) }} {{ 'abc'.startswith('b', 1) }} {{ 'abc'.find('c') }} {{ 'abc'.find('z') }} {{ 'abca'.rfind('a') }}", {}),
    ("{{ 'aXbX'.replace('X', '-') }} {{ 'aaa'.replace('a', 'b', 2) }} {{ 'abc'.replace('', '-') }} {{ 'abab'.count('ab') }} {{ 'aaa'.count('') }}", {}),
    ("{{ 'hello world'.title() }} {{ \"they're ok\".title() }} {{ 'hELLO'.capitalize() }} {{ 'Größe'.upper() }} {{ 'ÀÉ'.lower() }} {{ 'ﬁx'.upper() }}", {}),
    ("{{ 'a1'.isalnum() }} {{ '12'.isdigit() }} {{ 'ab'.isalpha() }} {{ 'ab'.islower() }} {{ 'AB'.isupper() }} {{ '  '.isspace() }} {{ ''.isspace() }}", {}),
    ("{{ ', '.join(['a', 'b']) }} {{ '-'.join('abc') }} {{ 'x'.center(5, '*') }} {{ 'ab'.ljust(4) }}| {{ 'ab'.rjust(4) }} {{ '42'.zfill(5) }} {{ '-42'.zfill(5) }}", {}),
    ("{{ 'a\\nb\\r\\nc'.splitlines() }} {{ 'abc'.removeprefix('a') }} {{ 'abc'.removesuffix('c') }} {{ 'a=b=c'.partition('=') }} {{ 'a=b=c'.rpartition('=') }}", {}),
    ("{{ '{} and {}'.format('a', 'b') }} {{ '{1}{0}'.format('a', 'b') }} {{ '{x}!'.format(x=1) }} {{ '{{}}'.format() }} {{ '{!r}'.format('q') }}", {}),
    ("{{ '%s is %d' % ('x', 3) }} {{ '%5.2f|%-4s|%03d|%x|%r' % (3.14159, 'a', 7, 255, 'b') }} {{ '%(a)s' % {'a': 1} }} {{ '100%%' % () }}", {}),
    # filters
    ("[{{ '  a  ' | trim }}][{{ 'xxaxx' | trim('x') }}][{{ none | trim }}][{{ undefined_name | trim }}]", {}),
    ("{{ 'AbC' | lower }} {{ 'abc' | upper }} {{ 'hello WORLD' | capitalize }} {{ 'hello-world (x) [y]s' | title }} {{ \"it's\" | title }}", {}),
    ("{{ 'a-b-c' | replace('-', '+') }} {{ 'aaa' | replace('a', 'b', 1) }} {{ 5 | replace('5', 'x') }}", {}),
    ("{{ 'a\\nb\\n\\nc' | indent }}|{{ 'a\\nb' | indent(2, true) }}|{{ 'a\\n\\nb' | indent(2, blank=true) }}|{{ 'a\\nb' | indent('>') }}|{{ '' | indent }}", {}),
    ("{{ [1, 2, 3] | length }} {{ 'héllo' | count }} {{ {'a': 1} | length }} {{ undefined_name | length }}", {}),
    ("{{ [1, 2, 3] | join }} {{ [1, 2, 3] | join(', ') }} {{ msgs | join('|', attribute='role') }} {{ 'abc' | join('.') }}", {"msgs": MESSAGES}),
    ("{{ 'abc' | list }} {{ {'a': 1, 'b': 2} | list }} {{ (1, 2) | list }} {{ undefined_name | list }}", {}),
    ("{{ [3, 1, 2] | first }} {{ [3, 1, 2] | last }} {{ 'abc' | first }} {{ 'abc' | last }} [{{ [] | first }}] {{ {'k': 1} | first }}", {}),
    ("{{ [1, 2, 1, 'a', 'A'] | unique | list }} {{ ['a', 'A'] | unique(case_sensitive=true) | list }} {{ msgs | unique(attribute='role') | map(attribute='role') | list }}", {"msgs": MESSAGES}),
    ("{{ [3, 1, 2] | sort }} {{ [3, 1, 2] | sort(reverse=true) }} {{ ['b', 'A', 'c'] | sort }} {{ ['b', 'A', 'c'] | sort(case_sensitive=true) }}", {}),
    ("{{ msgs | sort(attribute='role') | map(attribute='role') | join(',') }} {{ items | sort(attribute='a,b') }}", {"msgs": MESSAGES, "items": [{"a": 2, "b": 1}, {"a": 1, "b": 2}, {"a": 1, "b": 1}]}),
    ("{{ {'b': 1, 'a': 2, 'C': 0} | dictsort }} {{ {'b': 1, 'a': 2} | dictsort(by='value') }} {{ {'b': 1, 'a': 2} | dictsort(reverse=true) }}", {}),
    ("{{ [1, 2, 3] | reverse | list }} {{ 'abc' | reverse }} {{ {'a': 1, 'b': 2} | reverse | list }} {{ ([1, 2] | reverse) is iterable }}", {}),
    ("{{ {'a': 1, 'b': [2]} | items | list }} {% for k, v in {'x': 1} | items %}{{ k }}{{ v }}{% endfor %} {{ undefined_name | items | list }}", {}),
    ("{{ msgs | map(attribute='role') | list }} {{ ['a', 'b'] | map('upper') | join }} {{ [1.5, 2.5] | map('round') | list }} {{ msgs | map(attribute='nope', default='d') | list }}", {"msgs": MESSAGES}),
    ("{{ [1, 2, 3, 4] | select('odd') | list }} {{ [1, 2, 3, 4] | reject('odd') | list }} {{ [0, 1, '', 'a'] | select | list }} {{ [1, 5, 9] | select('>', 4) | list }}", {}),
    ("{{ msgs | selectattr('role', 'equalto', 'user') | map(attribute='content') | list }} {{ msgs | rejectattr('content') | list | length }} {{ msgs | selectattr('tool_calls', 'defined') | list | length }}", {"msgs": MESSAGES}),
    ("{{ [3, 1, 2] | max }} {{ [3, 1, 2] | min }} {{ ['b', 'A'] | max }} {{ msgs | max(attribute='role') }} {{ [] | max }}|{{ [1, 2, 3] | sum }} {{ [[1], [2]] | sum(start=[]) }}", {"msgs": MESSAGES}),
    ("{{ x | default('d') }} {{ none | default('d') }} {{ '' | default('d', true) }} {{ 0 | d(5) }} {{ x | default }}|", {}),
    ("{{ '42' | int }} {{ '4.7' | int }} {{ 'x' | int }} {{ 'x' | int(7) }} {{ 3.9 | int }} {{ '0x1A' | int(0, 16) }} {{ ' 1_000 ' | int }} {{ true | int }} {{ none | int }}", {}),
    ("{{ '4.5' | float }} {{ 'x' | float }} {{ 3 | float }} {{ ' 1e3 ' | float }} {{ 'inf' | float }} {{ '-nan' | float }} {{ '1_0.5' | float }}", {}),
    ("{{ -3 | abs }} {{ -2.5 | abs }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 2.675 | round(2) }} {{ 2.1 | round(0, 'ceil') }} {{ 2.9 | round(method='floor') }} {{ 7 | round }} {{ 1234 | round(-2) }}", {}),
    ("{{ msgs | tojson }}", {"msgs": MESSAGES}),
    ("{{ msgs[2] | tojson(indent=2) }}", {"msgs": MESSAGES}),
    ("{{ {'b': 1, 'a': [1, 2.5, none, true, 'é\"\\n\\t\\u0001']} | tojson(sort_keys=true) }} {{ {'a': 1} | tojson(separators=(',', ':')) }} {{ 'é' | tojson(ensure_ascii=true) }}", {}),
    ("{{ [] | tojson(indent=4) }} {{ {} | tojson(indent=4) }} {{ [[]] | tojson(indent='\\t') }} {{ 1e16 | tojson }} {{ (1, 2) | tojson }}", {}),
    ("{{ 1 | string }} {{ none | string }} {{ [1, 'a'] | string }} {{ 'x' | string }} {{ 1.0 | string ~ '' }}", {}),
    ("{{ 'hello' | center(11) }}| {{ 'a b c d e' | wordcount }} {{ 'The quick brown fox' | truncate(12) }} {{ 'The quick brown fox' | truncate(12, true) }} {{ 'short' | truncate(3, leeway=0) }}", {}),
    ("{{ '%s-%s' | format('a', 1) }} {{ '%(x)s' | format(x=2) }} {{ 'x' | safe }}", {}),
    ("{{ msgs[0] | attr('items') is defined }} {{ msgs[0] | attr('role') is defined }}", {"msgs": MESSAGES}),
    # tests
    ("{{ x is defined }} {{ x is undefined }} {{ none is none }} {{ 1 is number }} {{ true is number }} {{ 1.0 is float }} {{ 1 is integer }} {{ true is integer }}", {}),
    ("{{ true is boolean }} {{ 1 is boolean }} {{ true is true }} {{ 1 is true }} {{ false is false }} {{ 'a' is string }} {{ {} is mapping }} {{ [] is mapping }}", {}),
    ("{{ [] is sequence }} {{ 'a' is sequence }} {{ {} is sequence }} {{ 1 is sequence }} {{ x is sequence }} {{ x is iterable }} {{ 'a' is iterable }} {{ 1 is iterable }}", {}),
    ("{{ 3 is odd }} {{ 3 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(2) }} {{ 1 is eq 1 }} {{ 1 is equalto 2 }} {{ 1 is ne 2 }} {{ 1 is lt 2 }} {{ 2 is ge 2 }} {{ 3 is gt 2 }} {{ 3 is le 2 }}", {}),
    ("{{ 'ab' is lower }} {{ 'AB' is upper }} {{ 'a' is in 'cat' }} {{ none is sameas none }} {{ false is sameas false }} {{ 'upper' is filter }} {{ 'odd' is test }} {{ range is callable }} {{ 'x' is callable }}", {}),
    ("{{ msgs[0].content is string }} {{ msgs[3].content is none }} {{ msgs[0].tool_calls is defined }} {{ msgs[2].tool_calls is iterable }} {{ msgs[2] is mapping }}", {"msgs": MESSAGES}),
    # for loops
    ("{% for x in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ x }};{% endfor %}", {}),
    ("{% for x in [1, 2, 3] %}[{{ loop.previtem }}|{{ loop.nextitem }}|{{ loop.cycle('o', 'e') }}]{% endfor %}", {}),
    ("{% for x in [1, 1, 2, 2, 1] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}", {}),
    ("{% for x in [] %}x{% else %}empty{% endfor %} {% for x in [1] %}x{% else %}empty{% endfor %}", {}),
    ("{% for x in range(10) if x is odd %}{{ x }}{{ loop.index }}/{{ loop.length }}{% if loop.last %}!{% endif %} {% endfor %}", {}),
    ("{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}", {}),
    ("{% for a, b in [[1, 2], (3, 4), 'xy'] %}{{ a }}{{ b }};{% endfor %} {% for k in {'x': 1, 'y': 2} %}{{ k }}{% endfor %} {% for c in 'hé' %}[{{ c }}]{% endfor %}", {}),
    ("{% for x in [1, 2] %}{% for y in 'ab' %}{{ loop.index }}{{ x }}{{ y }} {% endfor %}{{ loop.index }};{% endfor %}", {}),
    ("{% for x in [1, 2] %}{% set outer = loop %}{% for y in [3] %}{{ outer.index }}{{ loop.index }} {% endfor %}{% endfor %}", {}),
    ("{% set x = 1 %}{% for i in [1, 2] %}{{ x }}{% set x = x + 10 %}{{ x }} {% endfor %}{{ x }}", {}),
    ("{% for i in [1, 2] %}{% if i == 1 %}{% set y = 'set' %}{% endif %}[{{ y }}]{% endfor %}[{{ y }}]", {}),
    ("{% for m in msgs if m.role != 'system' %}{{ loop.index }}:{{ m.role }} {% endfor %}", {"msgs": MESSAGES}),
    ("{% for item in tree recursive %}{{ item.name }}{% if item.children %}({{ loop(item.children) }}){% endif %}{{ loop.depth }} {% endfor %}", {"tree": [{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}, {"name": "d"}]}),
    ("{% for x in [1, 2] %}{{ x }}{% endfor %}{{ x }}|{{ loop }}|", {}),
    ("{% set ns = namespace(found=false) %}{% for x in [1, 2, 3] if not ns.found %}{{ x }}{% if x == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}", {}),
    ("{% for x in 'abc'|reverse %}{{ x }}{% endfor %} {% for x in [3, 1]|sort %}{{ x }}{% endfor %}", {}),
    # set, namespace, with
    ("{% set a, b = 1, 2 %}{{ a }}{{ b }} {% set t = 1, 2 %}{{ t }} {% set (c, d) = 'xy' %}{{ c }}{{ d }}", {}),
    ("{% set x %}  block {{ 1 + 1 }}  {% endset %}[{{ x }}] {% set y | upper | trim %}  abc  {% endset %}[{{ y }}]", {}),
    ("{% set ns = namespace(a=1, b='x') %}{% set ns.a = ns.a + 1 %}{{ ns.a }}{{ ns.b }} {{ ns.missing }}| {{ ns }}", {}),
    ("{% set ns = namespace({'k': 1}, j=2) %}{{ ns.k }}{{ ns.j }}", {}),
    ("{% set ns = namespace(items=[]) %}{% for x in [1, 2] %}{% set ns.items = ns.items + [x] %}{% endfor %}{{ ns.items }}", {}),
    ("{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}[{{ a }}] {% set x = 5 %}{% with x = x + 1 %}{{ x }}{% endwith %}{{ x }}", {}),
    ("{% if true %}{% set inside = 'v' %}{% endif %}{{ inside }}", {}),
    ("{% set messages = messages[1:] %}{{ messages | length }}", {"messages": MESSAGES}),
    # macros, call blocks, filter blocks, generation
    ("{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('a') }} {{ greet('b', 'Hi') }} {{ greet(greeting='Yo', name='c') }} [{{ greet() }}]", {}),
    ("{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, x=4) }}", {}),
    ("{% macro m() %}[{{ caller() }}]{% endmacro %}{% call m() %}inside{% endcall %}", {}),
    ("{% macro list(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(x) list([1, 2]) %}<{{ x }}>{% endcall %}", {}),
    ("{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1) | int }}{% endif %}{% endmacro %}{{ fact(5) }}", {}),
    ("{% set g = 'global' %}{% macro m() %}{{ g }}{% set g = 'local' %}{{ g }}{% endmacro %}{{ m() }}{{ g }}", {}),
    ("{% macro m(x) %}{{ x }}{% endmacro %}{{ m }}|{{ m is callable }}", {}),
    ("{% filter upper %}abc {{ 'd' }}{% endfilter %} {% filter replace('a', 'b') | trim %}  aa  {% endfilter %}", {}),
    ("a{% generation %}b{{ 1 }}{% endgeneration %}c", {}),
    ("{%- for m in msgs -%}\n  {%- if m.role == 'assistant' -%}\n    {% generation %}\n    {{- m.content -}}\n    {% endgeneration %}\n  {%- endif -%}\n{%- endfor -%}", {"msgs": MESSAGES}),
    ("{% print 'p' %}{% print 1, 2 %}", {}),
    # globals
    ("{{ range(3) | list }} {{ range(1, 10, 3) | list }} {{ range(5, 0, -2) | list }} {{ range(0) | list }}", {}),
    ("{{ dict(a=1, b=2) }} {{ dict([('x', 1)]) }} {{ dict({'y': 2}, z=3) }}", {}),
    ("{% set j = joiner(', ') %}{% for x in [1, 2, 3] %}{{ j() }}{{ x }}{% endfor %} {% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.next() }}{{ c.current }}", {}),
    ("{{ strftime_now('%Y-%m-%d %H:%M:%S %d %B %Y %b %a %A %j %p %I %y %%') }}", {}),
    ("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%f') }}|{{ strftime_now('%z%Z') }}|", {}),
    # undefined and the sandbox
    ("[{{ undefined_name }}][{{ undefined_name | default('x') }}][{{ undefined_name is defined }}][{{ undefined_name == undefined_name }}]", {}),
    ("{{ msgs.append }}|{{ msgs[0].update }}|{{ 'x'.__class__ }}|{{ msgs.pop is defined }}", {"msgs": MESSAGES}),
    ("{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}", {"messages": MESSAGES}),
    ("{{ raise_exception('Line ' ~ 2 ~ ' failed') }}", {}),
    # errors
    ("{{ undefined_name.attr }}", {}),
    ("{{ undefined_name['k'] }}", {}),
    ("{{ undefined_name + 1 }}", {}),
    ("{{ undefined_name() }}", {}),
    ("{{ 'a' + 1 }}", {}),
    ("{{ 1 / 0 }}", {}),
    ("{{ msgs.append(1) }}", {"msgs": MESSAGES}),
    ("{{ range(1000000) | length }}", {}),
    ("{{ x | nosuchfilter }}", {}),
    ("{{ x is nosuchtest }}", {}),
    ("{% if true %}unclosed", {}),
    ("{% for %}", {}),
    ("{{ 1 + }}", {}),
    ("{% endif %}", {}),
    ("{% include 'other.jinja' %}", {}),
    ("{{ none | length }}", {}),
    ("{{ 1 < 'a' }}", {}),
    ("{% set a, b = [1] %}", {}),
    ("{% for a, b in [[1, 2, 3]] %}{% endfor %}", {}),
    ("{{ 'x' | tojson(indent=2) }}{{ x | tojson }}", {}),
    ("{% set x = 1 %}{% set x.y = 2 %}", {}),
    ("{{ [1, 2] | first | upper }}{{ 1 | upper }}{{ 'a'.nosuch() }}", {}),
]


def main():
    env = environment()
    out = []
    for template, variables in CASES:
        case = {"template": template, "variables": variables}
        try:
            case["expected"] = env.from_string(template).render(**variables)
        except Raised as e:
            case["error"] = {"raised": True, "message": str(e)}
        except Exception as e:  # noqa: BLE001 - any failure is what the case records
            case["error"] = {"raised": False, "message": f"{type(e).__name__}: {e}"}
        out.append(case)
    path = pathlib.Path(__file__).resolve().parent.parent / "tests" / "jinja" / "cases.json"
    path.write_text(json.dumps({"jinja2": jinja2.__version__, "cases": out}, ensure_ascii=False, indent=1) + "\n")
    print(f"{len(out)} cases, {sum('error' in c for c in out)} errors -> {path}")


if __name__ == "__main__":
    main()
