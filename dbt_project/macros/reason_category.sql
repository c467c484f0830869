{#- A reject reason or warning without the values quoted in it (they may be ID numbers or
    names) and without row numbers, so that like reasons count together and no personal value
    reaches a mart. Reasons about a blank required column quote the column header: kept.
    The refresh summary of `cadres refresh` reads its reasons from mart_ingest_quality. -#}
{% macro reason_category(text_column) -%}
    regexp_replace(
        case
            when {{ text_column }} like '%必填项%' then {{ text_column }}
            else regexp_replace({{ text_column }}, '“[^”]{0,200}”', '“…”', 'g')
        end,
        '第\d+行', '第…行', 'g'
    )
{%- endmacro %}
