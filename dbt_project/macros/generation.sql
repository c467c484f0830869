{#- 代际: the decade of birth as the Chinese say it (1985 → 80后, 2001 → 00后); before 1950 → 50前. -#}
{% macro generation(birth_year_expression) -%}
    case
        when {{ birth_year_expression }} is null then null
        when {{ birth_year_expression }} < 1950 then '50前'
        else lpad(cast(({{ birth_year_expression }} % 100) // 10 * 10 as varchar), 2, '0') || '后'
    end
{%- endmacro %}
