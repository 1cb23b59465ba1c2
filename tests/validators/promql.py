"""What the PromQL checks share: string literals, and whether brackets balance outside them.

Imported by monitoring_check.py (PrometheusRule expressions) and analysis_check.py (the
AnalysisTemplate's queries and conditions).
"""
import re

# A double-quoted string literal, escapes included.
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def balanced(expr):
    """Whether (), [] and {} pair up in `expr`, ignoring what string literals hold."""
    stack, pairs = [], {")": "(", "]": "[", "}": "{"}
    for char in STRING.sub('""', expr):
        if char in "([{":
            stack.append(char)
        elif char in pairs and (not stack or stack.pop() != pairs[char]):
            return False
    return not stack
