"""Every Chinese word the dashboard shows, in one place.

Leaders read the dashboard, stewards read the CSV downloads: both must see the same names for
the same things, and a wording change must be one edit, not a search through every page.
Values of the data themselves (党政机关, 市中区 …) are the contract's canonical names and are
shown as they come out of the warehouse.
"""

from __future__ import annotations

APP_TITLE = "党外干部队伍建设看板"
APP_SUBTITLE = "源头选苗 → 培训锻炼 → 梯次选配"
APP_ICON = "📊"

# --- pages (title, icon, url path) -------------------------------------------------------------
PAGES: dict[str, tuple[str, str]] = {
    "overview": ("总览", ":material/dashboard:"),
    "composition": ("人才库构成", ":material/groups:"),
    "trends": ("三年趋势", ":material/trending_up:"),
    "teams": ("班子配备", ":material/account_balance:"),
    "training": ("培训", ":material/school:"),
    "explore": ("自助分析", ":material/query_stats:"),
    "quality": ("数据质量", ":material/fact_check:"),
    "people": ("人员名单", ":material/badge:"),
}

# --- sidebar filters ---------------------------------------------------------------------------
FILTER_HEADER = "筛选"
FILTER_REGION = "地区"
FILTER_SECTOR = "身份类别"
FILTER_LIST = "名单"
FILTER_SNAPSHOT = "统计截止日期（人才库快照）"
FILTER_ALL = "全部"
FILTER_CLEAR = "清除筛选"
FILTER_HELP_REGION = "人才库按本人所在地区；任职与班子按职务所在地区（乐山高新区计入市本级班子）。"
FILTER_HELP_SECTOR = "按人员在所选快照中的身份类别。"
FILTER_HELP_LIST = "人员在所选快照中列入任一所选名单即计入。"
FILTER_HELP_LOCKED = "区县账号只能查看本地区的数据。"
FILTER_HELP_SNAPSHOT = "默认最新快照（即统计截止日期）。"
FILTER_SHARE = "筛选条件已写入网址，复制浏览器地址即可分享当前视图。"
FILTER_ACTIVE = "当前筛选："
BAD_PARAMETER = "网址中的参数 {parameter}（{name}）的值“{value}”不存在，未显示任何数字。可选的值：{allowed}。"
BAD_PARAMETER_LINK = "打开不带网址参数的本页"
BAD_PAGE = "网址中的页面“{page}”不存在，未显示任何数字。可打开的页面：{pages}。"
# every parameter a page reads from the address, named as the page names it
URL_PARAMETERS = {"region": FILTER_REGION, "sector": FILTER_SECTOR, "list": FILTER_LIST, "snapshot": FILTER_SNAPSHOT,
                  "dim": "分析维度", "by": "交叉维度", "year": "年份", "mode": "显示模式",
                  "people_metric": "人员名单·指标", "people_dim": "人员名单·维度", "people_values": "人员名单·取值"}
FILTER_APPLIED_TOAST = "已按{dimension}“{value}”筛选"
CLICK_TO_FILTER = "点击图中的柱条可按该项筛选。"

# --- 大屏 (wall display) -------------------------------------------------------------------------
SCREEN_MODE = "screen"  # ?mode=screen
SCREEN_SECONDS = 12  # each slide's time on the wall
SCREEN_HEADLINES = "核心数据"
SCREEN_PROGRESS = "第 {n}/{total} 屏 · {title}"

# --- common words ------------------------------------------------------------------------------
AS_OF = "统计截止日期"
SCOPE = "范围"
EVERY_SNAPSHOT = "各快照（截至 {date}）"
WHOLE_CITY = "全市"
REFRESHED_AT = "数据更新于"
DOWNLOAD_CSV = "下载数据（CSV）"
# Plotly's own words (toolbar tips, the messages while an image is saved), by its English key:
# handed to every chart as its locale, so no English shows on a chart
PLOTLY_WORDS = {
    "Download plot as a PNG": "保存图片", "Download plot": "保存图片",
    "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
    "Image download succeeded": "图片已保存",
    "Sorry, there was a problem downloading your image!": "图片保存失败，请重试",
    "Zoom": "缩放", "Pan": "平移", "Zoom in": "放大", "Zoom out": "缩小", "Reset axes": "还原坐标轴",
    "Autoscale": "自动缩放", "Reset view": "还原视图", "Box Select": "框选", "Lasso Select": "套索选择",
    "Toggle Spike Lines": "显示或隐藏参考线", "Show closest data on hover": "悬停显示最近的数据",
    "Compare data on hover": "悬停比较数据", "Double-click to zoom back out": "双击还原",
    "Produced with Plotly.js": "由 Plotly.js 绘制",
}
NO_DATA = "所选范围内没有数据。"
NOT_AVAILABLE = "—"
WAREHOUSE_MISSING = "尚未找到已发布的数据仓库：{path}。请先运行 `cadres refresh`，或用 `cadres dashboard` 启动。"
PERCENT_POINTS = "个百分点"
NOT_APPLICABLE = "显示为“—”：{note}。"
NOT_APPLICABLE_SECTION = "部分指标显示为“—”：{notes}。"
PARTIAL_YEAR = "{year}（截至{month}月{day}日）"

# --- overview ----------------------------------------------------------------------------------
OVERVIEW_SECTIONS: dict[str, tuple[str, str, list[str]]] = {
    "pool": ("源头选苗", "分类储备党外干部人才", [
        "pool_total", "pool_female", "pool_born_1980s", "pool_ethnic_minority",
        "pool_sector_party_gov", "pool_sector_institution", "pool_sector_outside",
        "pool_ready_now", "pool_ready_longer",
        "pool_field_tourism", "pool_field_transport", "pool_field_agriculture", "pool_field_hightech",
    ]),
    "training": ("培训锻炼", "近三年", [
        "progressive_classes", "progressive_trainees", "themed_sessions",
        "upper_level_trainees", "practice_trainees",
    ]),
    "placement": ("梯次选配", "换届以来", [
        "arranged_since_term", "county_level_placed_since_term", "county_level_new_since_term",
        "county_level_born_1970s_since_term",
        "teams_total", "teams_with_nonparty", "county_cppcc_with_3_nonparty", "county_cppcc_nonparty_share",
        "democratic_party_chairs", "democratic_party_chairs_department_level",
        "fit_rate_technical", "fit_rate_complex",
    ]),
}
# shorter card titles where dbt's label would be cut off on a card; the full label is the card's help
CARD_LABELS: dict[str, str] = {
    "pool_ready_now": "成熟度：近期可用",
    "pool_ready_longer": "成熟度：中长期培养",
    "progressive_classes": "市本级递进培训班",
    "progressive_trainees": "递进培训班结业学员",
    "themed_sessions": "专题学习和主题教育",
    "upper_level_trainees": "参加中央、省级培训",
    "practice_trainees": "选派参加实践锻炼",
    "teams_total": "市县两级领导班子",
    "county_cppcc_with_3_nonparty": "县级政协配3名党外副主席",
}
NO_CHANGE = "持平"
FUNNEL_TITLE = "培养链条：入库 → 培训 → 选配"
FUNNEL_STAGES = ("人才库在库人员", "其中参加过培训", "其中培训后获任领导职务")
POOL_CARD_HELP = "小图为各快照的数值。"
COMPARE_NOTE = "箭头为较上年同期（{prior}），卡片下方为较年初（{start}）。"
COMPARE_AGAINST = "与 {date} 的快照比较"
COMPARE_NONE = "无：{reason}"
PEOPLE_LINK = "查看人员名单：{what}"
PEOPLE_CARD_LINK = "人员名单"
PEOPLE_LISTING = "所列："
PEOPLE_NOT_A_HEAD_COUNT = "“{metric}”按{unit}计数；名单列出其背后的人员，一人可对应多{unit}，故人数可少于该数。"
PEOPLE_CLEAR_LINK = "清除链接带来的条件"
PEOPLE_CLICK_HINT = "点击柱条或格子可查看其背后的人员名单。"
BRIEFING_BUTTON = {"docx": "生成简报（Word）", "pdf": "生成简报（PDF）"}
BRIEFING_HELP = "按当前范围和统计截止日期生成简报：关键指标及较上年同期、较年初、目标，图表和口径；约需半分钟。"
BRIEFING_DEMO = "演示数据"
POOL_SIZE_TITLE = "人才库规模（各快照）"


COMPOSITION_PICK = "分析维度"
COMPOSITION_PICK_HELP = "选一个维度看分布；再选第二个维度看交叉分析。"
COMPOSITION_SECOND = "交叉维度（可选）"
COMPOSITION_NONE = "（不交叉）"
COMPOSITION_CHART_KIND = "交叉图形"
COMPOSITION_HEATMAP = "热力图"
COMPOSITION_STACKED = "堆积柱状图"
COMPOSITION_TITLE = "人才库构成：按{dimension}"
COMPOSITION_CROSS_TITLE = "人才库构成：{first} × {second}"
COMPOSITION_LIST_NOTE = "一人可列入多个名单，按名单统计时各项之和大于总人数。"
COMPOSITION_TOTAL = "所选范围人才库人数"
COMPOSITION_HEATMAP_NOTE = "热力图颜色为各行内的占比，数字为人数。"

# --- trends ------------------------------------------------------------------------------------
TREND_POOL_TITLE = "人才库规模与进出"
TREND_SHARE_TITLE = "构成占比变化：按{dimension}"
TREND_SHARE_PICK = "构成维度"
TREND_TRAINING_TITLE = "每年参训人数（按培训类型）"
TREND_CLASSES_TITLE = "每年举办班次（按主办层级）"
TREND_APPOINTMENTS_TITLE = "每年任职（按选拔任用方式）"
TREND_APPOINTMENT_CATEGORY = "任用类别"
TREND_CHANGES_TITLE = "关键人数较上年同期和较年初"
TREND_CHANGES_NOTE = "较上年同期：{prior}；较年初：{start}。"
TREND_CAPTION = "人才库按各快照统计；培训与任职按开始年份统计，截至所选快照。"
TREND_TRAINING_NOTE = "参训人数按各年各类型去重计数；同一人参加不同类型的培训分别计入。"
TREND_PARTIAL_NOTE = "标注“截至某月某日”的年份尚未结束，不宜与整年直接比较。"
TREND_CLICK_SNAPSHOT = "点击柱条可切换统计截止日期。"
FLOW_PERSONS = "在库人数"
FLOW_ENTERED = "新入库"
FLOW_LEFT = "出库"

# --- teams -------------------------------------------------------------------------------------
TEAMS_GRID_TITLE = "市县两级领导班子党外干部配备（党外干部人数 / 核定职数）"
TEAMS_GRID_HELP = "颜色越深，党外干部占核定领导职数的比例越高；空白格表示尚未配备。"
TEAMS_CPPCC_TITLE = "县级政协领导班子党外干部占比"
TEAMS_CPPCC_LINE = "50% 目标线"
TEAMS_CHAIRS_TITLE = "民主党派主委"
TEAMS_FIT_TITLE = "人岗相适率"
TEAMS_FIT_TARGET = "目标"
TEAMS_PLACEMENT_TITLE = "{year}年市级部门党外干部选配"
TEAMS_PLACEMENT_YEAR = "年份"
TEAMS_PLACEMENT_SUMMARY = "{year}年共选配 {total} 名党外干部任市级部门领导职务，其中正职 {chief} 名、副职 {deputy} 名。"
TEAMS_COVERED = "配备党外干部的班子"
TEAMS_CPPCC_SHARE = "县级政协党外干部占比"
TEAMS_CPPCC_THREE = "配备3名党外副主席的县级政协"
TEAMS_CHAIRS = "民主党派主委"
TEAMS_CHAIRS_DEPT = "其中厅级"
TEAMS_SITTING_AT = "按 {date} 在任情况统计。"

# --- training ----------------------------------------------------------------------------------
TRAINING_TYPE_PICK = "培训类型"
TRAINING_RECENT_ONLY = "只看近三年"
TRAINING_BY_TYPE_TITLE = "各类培训学员去向（人数）"
TRAINING_CLASSES_TITLE = "各班次参训与结业情况"
TRAINING_COHORT_TITLE = "各班次学员去向：参训 → 结业 → 获任领导职务"
TRAINING_TABLE_TITLE = "班次明细"
TRAINING_TOTALS = ("班次", "参训人数", "结业人数", "培训后获任领导职务")
# 班次明细's last column, shortened so the table fits 1440 px; its tip says it in full
TRAINING_PLACED_SHORT = ("培训后获任", "参训人中培训后获任领导职务的人数")
TRAINING_STAGES = ("参训", "结业", "获任领导职务")
TRAINING_STATUS = ("结业", "未结业", "在训")
TRAINING_OTHER_CLASSES = "其他{n}个班次"
TRAINING_TOP_NOTE = ("班次较多时图中只画参训人数最多的 {n} 个班次，其余合为“其他”；"
                     "下方班次明细列出全部班次，可点击列名排序。")
TRAINING_CAPTION = "截至所选快照：开班日期不晚于统计截止日期的班次；近三年指开班日期在统计截止日期前三年内。"

# --- 自助分析 -------------------------------------------------------------------------------------
EXPLORE_CAPTION = "选择指标、分组维度和筛选条件；指标的名称和口径取自数据仓库的指标定义（语义层）。"
EXPLORE_TAB_METRICS = "指标分析"
EXPLORE_TAB_MARTS = "数据集市（分析员）"
EXPLORE_METRICS = "指标"
EXPLORE_METRICS_HELP = "可选多个指标；多个指标只能按它们共有的维度分组。"
EXPLORE_PICK_METRIC = "请选择至少一个指标。"
EXPLORE_DIMENSION = "分组维度"
EXPLORE_SECOND = "第二分组维度"
EXPLORE_NO_DIMENSION = "（不分组）"
EXPLORE_BY_SNAPSHOT = "统计截止日期（各快照）"
EXPLORE_FILTER = "筛选维度 {n}"
EXPLORE_NO_FILTER = "（不筛选）"
EXPLORE_FILTER_VALUES = "取值"
EXPLORE_TOTAL = "合计"
EXPLORE_METRIC_TITLE = "{metrics}：按{dimension}"
EXPLORE_MART = "数据集市"
EXPLORE_MART_DIMENSION = "分组列"
EXPLORE_MEASURE = "统计指标"
EXPLORE_ROWS = "行数"
EXPLORE_PERSONS = "人数（去重）"
EXPLORE_SUM = "合计：{label}"
EXPLORE_AVG = "平均：{label}"
EXPLORE_TITLE = "{mart}：按{dimension}"
EXPLORE_FILTERS = "已按所选快照及该集市具有的地区、身份类别、名单列筛选；按统计截止日期分组时显示全部快照。"
EXPLORE_LIMIT = "最多显示 200 组。"
NOT_FILLED = "未填写"

# --- data quality ------------------------------------------------------------------------------
QUALITY_REFRESH_TITLE = "最近一次刷新"
QUALITY_FILES_TITLE = "各文件导入行数"
QUALITY_REJECTED_TITLE = "各文件拒收行数"
QUALITY_REASONS_TITLE = "拒收原因与提示"
QUALITY_TESTS_TITLE = "数据检验"
QUALITY_SCOPE = "整次刷新（不随筛选条件变化）"
QUALITY_NODES_TITLE = "全部构建步骤统计"
QUALITY_SECONDS_HELP = "读取 {:.1f} 秒，模型构建 {:.1f} 秒"
QUALITY_READ = "读取"
QUALITY_ROWS = "{label}（行）"
QUALITY_FILES_SHEETS = "文件 / 工作表"
QUALITY_ALL_LOADED = "所有文件的行都已导入。"
QUALITY_NO_REASONS = "没有拒收行，也没有提示。"
QUALITY_REJECTS_NOTE = "拒收行的原文可用命令 `cadres rejects` 查看（含个人信息，仅限数据管理员）。"
QUALITY_REJECTS_TOGGLE = "显示拒收行及其取值（含个人信息，查看将记入审计日志）"
QUALITY_NO_META = "本数据仓库没有刷新记录（不是由 cadres refresh 发布的）。"
QUALITY_FILTER_NOTE = "本页反映整次刷新，不随筛选条件变化。"
QUALITY_SECONDS = "耗时（秒）"
QUALITY_TESTS_OK = "全部检验通过"
QUALITY_LOADED = "导入"
QUALITY_REJECTED = "拒收"

# --- column headers of tables and CSV downloads -----------------------------------------------
COLUMNS: dict[str, str] = {
    "snapshot_date": "统计截止日期",
    "previous_snapshot_date": "上一快照日期",
    "figure_id": "指标编号",
    "label_zh": "指标",
    "value": "数值",
    "previous_value": "上一快照数值",
    "change": "变化",
    "change_pct": "变化率",
    "unit": "单位",
    "as_of_date": "统计截止日期",
    "stage": "环节",
    "persons": "人数",
    "share": "占比",
    "dimension": "维度",
    "value_1": "类别",
    "value_2": "交叉类别",
    "entered": "新入库",
    "left_pool": "出库",
    "stayed": "留库",
    "start_year": "年份",
    "training_type": "培训类型",
    "host_level": "主办层级",
    "host_org": "主办单位",
    "classes": "班次数",
    "class_hours": "学时",
    "participants": "参训人数",
    "completed_participants": "结业人数",
    "participants_placed_after": "培训后获任领导职务人数",
    "appointment_category": "任用类别",
    "selection_method": "选拔任用方式",
    "tenures": "任职数",
    "region_name": "地区",
    "region_code": "行政区划代码",
    "team_type": "班子类别",
    "approved_seats": "核定领导职数",
    "nonparty_members": "党外干部人数",
    "nonparty_vice_chairs": "党外副主席人数",
    "nonparty_share": "党外干部占比",
    "org_name": "任职机构",
    "post_title": "职务名称",
    "rank": "职务层次",
    "highest_rank": "现任最高职务层次",
    "is_department_level": "是否厅级",
    "start_date": "任职时间",
    "post_type": "岗位类型",
    "fit_assessment": "人岗相适",
    "assessed_tenures": "已评定任职数",
    "fit_tenures": "相适任职数",
    "fit_rate": "相适率",
    "target": "目标",
    "class_id": "班次编号",
    "class_name": "班次名称",
    "class_start": "开始日期",
    "class_end": "结束日期",
    "hours": "学时",
    "is_in_last_three_years": "近三年",
    "kind": "正副职",
    "completed": "结业",
    "not_completed": "未结业",
    "in_training": "在训",
    "placed_after": "培训后获任领导职务",
    "in_pool": "其中在库",
    "file": "文件",
    "sheet": "工作表",
    "table_name": "数据表",
    "rows_read": "读取行数",
    "rows_loaded": "导入行数",
    "rows_rejected": "拒收行数",
    "issue_kind": "类型",
    "reason": "原因",
    "reason_rows": "行数",
    "refreshed_at": "刷新时间",
    "raw_dir": "原始数据文件夹",
    "term_start": "换届时间",
    "seconds_ingest": "读取耗时（秒）",
    "seconds_dbt": "模型构建耗时（秒）",
    "tests_passed": "检验通过",
    "tests_warned": "检验警告",
    "resource_type": "类型",
    "name": "名称",
    "status": "结果",
    "failures": "不符合行数",
    "message": "说明",
    "count": "数量",
    "trained": "参加过培训",
    "placed": "培训后获任领导职务",
    "chairs": "民主党派主委人数",
    "department_level": "其中厅级",
    "team_key": "班子编号",
    "is_county_level": "是否县级",
    "region_sort_order": "地区排序",
    "sort_order": "排序",
    "category": "类别",
    "comment": "说明",
    "estimated_size": "约计行数",
    "column_name": "字段",
    "data_type": "类型",
    "label": "中文名",
}

STATUS_NAMES = {"pass": "通过", "warn": "警告", "fail": "未通过", "error": "出错", "success": "成功",
                "skipped": "跳过", "runtime error": "出错"}
RESOURCE_NAMES = {"test": "数据检验", "unit_test": "单元测试", "model": "模型", "seed": "参考数据",
                  "snapshot": "快照"}
