{#- The only person identifier that leaves staging: md5 of the 18-character ID number. -#}
{% macro person_key(id_number_column) -%}
    md5(upper(trim({{ id_number_column }})))
{%- endmacro %}
