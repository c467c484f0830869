{#- Empty or whitespace-only text → NULL (landing should already do this; staging makes sure). -#}
{% macro blank_to_null(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}
