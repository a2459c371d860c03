<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="73" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="74" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="75" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="76" />
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="77" />
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="78" />
        <source>Panels</source>
        <translation>面板</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="79" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="81" />
        <source>Stations by heat margin at the coldest hour</source>
        <translation>换热站按最冷时刻管网供热余量着色</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="80" />
        <source>&amp;Open project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="81" />
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="82" />
        <source>Save &amp;as…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="83" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="84" />
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="85" />
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="86" />
        <source>&amp;Delete selected zone</source>
        <translation>删除选中的管控区(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="87" />
        <source>Zoom to full extent</source>
        <translation>缩放到全市</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="88" />
        <source>Zoom to layer</source>
        <translation>缩放到图层</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="89" />
        <source>Zoom to selection</source>
        <translation>缩放到所选</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="90" />
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="90" />
        <source>Identify</source>
        <translation>识别</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="90" />
        <source>Select</source>
        <translation>选择</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="91" />
        <source>Draw zone</source>
        <translation>绘制管控区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="91" />
        <source>Edit zone</source>
        <translation>编辑管控区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="92" />
        <source>Dispatch crew</source>
        <translation>派遣抢修队</translation>
    </message>
    <message>
        <source>&amp;Undo {0}</source>
        <translation>撤销(&amp;U) {0}</translation>
    </message>
    <message>
        <source>&amp;Redo {0}</source>
        <translation>重做(&amp;R) {0}</translation>
    </message>
</context>
<context>
    <name>AttributeTable</name>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="75" />
        <source>Filter rows (Ctrl+F)…</source>
        <translation>筛选行 (Ctrl+F)…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="76" />
        <source>Show the rows whose field contains this text (any case)</source>
        <translation>只显示字段中含有此文字的行（不分大小写）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="77" />
        <source>Field to search</source>
        <translation>在哪个字段中查找</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="79" />
        <location filename="../../heatgis/gui/panels/attributes.py" line="121" />
        <source>All fields</source>
        <translation>全部字段</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="80" />
        <source>Select shown</source>
        <translation>选中显示的行</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="81" />
        <source>Select every row shown here, and on the map</source>
        <translation>选中此处显示的所有行，地图上同时选中</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="137" />
        <source>%1 of %2</source>
        <translation>%1 / 共 %2</translation>
    </message>
</context>
<context>
    <name>Conflict</name>
    <message>
        <location filename="../../heatgis/gui/conflict.py" line="22" />
        <source>The project file was changed by another program since you opened it. Nothing was saved.</source>
        <translation>项目文件在您打开之后已被其他程序修改，未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/conflict.py" line="25" />
        <source>What changed in the file:</source>
        <translation>文件中的改动：</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/conflict.py" line="27" />
        <source>Reload the project from the file and apply your edits again? Your edits stay on the undo stack.</source>
        <translation>从文件重新载入项目并重新应用您的编辑吗？您的编辑仍保留在撤销栈中。</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/conflict.py" line="29" />
        <source>Reload and re-apply my edits</source>
        <translation>重新载入并重新应用我的编辑</translation>
    </message>
    <message>
        <source>Your edits include undoing edits that were saved: they cannot be re-applied automatically.</source>
        <translation>您的修改中包含对已保存修改的撤销，无法自动重新应用。</translation>
    </message>
    <message>
        <source>Note your edits, reopen the project (File → Open) and make them again.</source>
        <translation>请记下您的修改，重新打开项目（文件 → 打开项目）后再做一遍。</translation>
    </message>
    <message>
        <source>Your edits could not be re-applied to the file as it is now ({0}); nothing was changed.</source>
        <translation>您的修改无法应用到文件的当前内容上（{0}）；未做任何改动。</translation>
    </message>
    <message>
        <source>Reopen the project (File → Open) and make your edits again.</source>
        <translation>请重新打开项目（文件 → 打开项目），再做一遍修改。</translation>
    </message>
    <message>
        <source>Another planner changed rows you edited since you read them. Nothing was saved.</source>
        <translation>自您读取以来，其他规划人员修改了您编辑过的行。未保存任何内容。</translation>
    </message>
    <message>
        <source>What the others changed:</source>
        <translation>他人修改了：</translation>
    </message>
    <message>
        <source>Reload the project from the database and apply your edits again? Your edits stay on the undo stack.</source>
        <translation>从数据库重新载入项目并重新应用您的修改？您的修改仍保留在撤销记录中。</translation>
    </message>
</context>
<context>
    <name>CrewOpsPanel</name>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Re-plan when zones change</source>
        <translation>管控区变更时重新排班</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Plan the crews again shortly after the lockdown zones are edited (else the plan is marked out of date)</source>
        <translation>编辑管控区后稍候自动重新编排抢修队计划（否则仅标记计划已过时）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Plan out of date: {0}</source>
        <translation>计划已过时：{0}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>re-planning…</source>
        <translation>正在重新编排…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>press Plan crews</source>
        <translation>请点击“编排抢修队”</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>staff</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>crew</source>
        <translation>抢修队</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>site</source>
        <translation>站点</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>site name</source>
        <translation>站点名称</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>skill</source>
        <translation>技能</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>from</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>to</source>
        <translation>结束</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>set down by</source>
        <translation>送达车辆</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>taken back by</source>
        <translation>接回车辆</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>duty</source>
        <translation>任务类别</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>held by</source>
        <translation>值守人员</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>detail</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>min</source>
        <translation>分钟</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>deadline</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>late min</source>
        <translation>超时(分钟)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Print roster</source>
        <translation>打印值班表</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Print route sheets</source>
        <translation>打印路线单</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Horizon</source>
        <translation>计划时长</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Time limit</source>
        <translation>求解时限</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Plan crews</source>
        <translation>编排抢修队</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Every place insiders cannot fill, held by a qualified crew member each staffing shift; patrols and tickets; relief trips by vehicle</source>
        <translation>每个值守班次由具备技能的抢修队员顶替区内无法到岗的岗位；巡检与工单；车辆接送换班</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Print roster…</source>
        <translation>打印值班表…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Print route sheets…</source>
        <translation>打印路线单…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>A PDF with one page per vehicle shift: its route, the people set down and picked up, ETAs</source>
        <translation>每个车辆班次一页的 PDF：路线、送达和接回的人员、到达时间</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Site</source>
        <translation>站点</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Skill</source>
        <translation>技能</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Deadline</source>
        <translation>截止</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Add ticket</source>
        <translation>新增工单</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Pick on map</source>
        <translation>地图上选取</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Click a site or a point on the map for the new ticket</source>
        <translation>在地图上点击站点或位置以新增工单</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Insert the selected ticket into the running plan (work already started stays)</source>
        <translation>把所选工单插入当前计划（已开始的作业不变）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Roster</source>
        <translation>值班表</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Duty</source>
        <translation>任务清单</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Gantt</source>
        <translation>甘特图</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Planning the crews…</source>
        <translation>正在编排抢修队…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>{span}: places filled {filled} of {required}, patrols {pd} of {pr}, tickets met {tm} of {tn} ({tl} late); not met: {unmet}</source>
        <translation>{span}：岗位已安排 {filled}/{required}，巡检 {pd}/{pr}，工单按时 {tm}/{tn}（超时 {tl}）；未满足：{unmet}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Ticket {0} added; press Dispatch to put it into the plan</source>
        <translation>已新增工单 {0}；点击“派遣”将其插入计划</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Select a ticket first</source>
        <translation>请先选择一张工单</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Plan the crews first (Plan crews)</source>
        <translation>请先编排抢修队（编排抢修队）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Ticket {0} is not in the project</source>
        <translation>项目中没有工单 {0}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>{0}: finding the crew…</source>
        <translation>{0}：正在查找抢修队…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>{0}: no crew on duty can take it</source>
        <translation>{0}：没有在岗抢修队能够承接</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>, LATE by {0:.0f} min</source>
        <translation>，超时 {0:.0f} 分钟</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>{0} → crew {1} ({2}), ETA {3}{4}</source>
        <translation>{0} → 抢修队 {1}（{2}），预计到达 {3}{4}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/crewops.py" line="1" />
        <source>Written: {0}</source>
        <translation>已写入：{0}</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>预计到达</translation>
    </message>
    <message>
        <source>filled</source>
        <translation>已安排</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未满足</translation>
    </message>
    <message>
        <source>⚠ Plan for {0}: not shown on the map at {1} — press Plan crews for this time</source>
        <translation>⚠ 此计划为 {0} 所做：地图时间 {1} 不显示，请点「编排抢修队」为此时间重新计划</translation>
    </message>
</context>
<context>
    <name>DispatchTool</name>
    <message>
        <location filename="../../heatgis/gui/tools/dispatch.py" line="30" />
        <source>Click a station or boiler room to dispatch a crew to it</source>
        <translation>点击换热站或锅炉房，派最近的抢修队前往</translation>
    </message>
</context>
<context>
    <name>IdentifyPanel</name>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="198" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="198" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="206" />
        <source>layer</source>
        <translation>图层</translation>
    </message>
</context>
<context>
    <name>ImpactPanel</name>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="63" />
        <source>locked stations</source>
        <translation>锁闭换热站</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="63" />
        <source>locked boiler rooms</source>
        <translation>锁闭锅炉房</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="64" />
        <source>heated area (10k m²)</source>
        <translation>供热面积（万㎡）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="64" />
        <source>households (10k)</source>
        <translation>户数（万户）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="65" />
        <source>staff locked in</source>
        <translation>居家封控员工</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="68" />
        <source>zone</source>
        <translation>管控区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="68" />
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="68" />
        <source>level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="69" />
        <source>active</source>
        <translation>生效</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="69" />
        <source>stations</source>
        <translation>换热站</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="70" />
        <source>boiler rooms</source>
        <translation>锅炉房</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="70" />
        <source>10k m²</source>
        <translation>万㎡</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="71" />
        <source>households</source>
        <translation>户数</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="71" />
        <source>staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="83" />
        <source>Impact at {0}</source>
        <translation>{0} 的封控影响</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="147" />
        <source>⚠ Data problems: {0} ({1} errors). Figures may be wrong; run &apos;heatgis validate&apos; for the list.</source>
        <translation>⚠ 项目数据有 {0} 个问题（{1} 个错误），数字可能有误。请运行 &apos;heatgis validate&apos; 查看清单。</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="150" />
        <source>Data warnings: {0} (no errors).</source>
        <translation>项目数据有 {0} 个警告（无错误）。</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="154" />
        <source>... {0} more</source>
        <translation>……另有 {0} 条</translation>
    </message>
    <message>
        <source>id</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>10k households</source>
        <translation>万户</translation>
    </message>
    <message>
        <source>{0} at {1}, {2} now</source>
        <translation>{1} 时 {0}，现 {2}</translation>
    </message>
    <message>
        <source>new zones {0}: {1}</source>
        <translation>新增管控区 {0} 个：{1}</translation>
    </message>
    <message>
        <source>lifted zones {0}: {1}</source>
        <translation>解除管控区 {0} 个：{1}</translation>
    </message>
    <message>
        <source>vs day before: no zone began or ended</source>
        <translation>较昨日：无新增或解除的管控区</translation>
    </message>
    <message>
        <source>vs day before: {0}</source>
        <translation>较昨日：{0}</translation>
    </message>
    <message>
        <source>Drawing: the figures if this zone were in force now</source>
        <translation>绘制中：此区现在生效后的数字</translation>
    </message>
    <message>
        <source>this zone {0}</source>
        <translation>此区 {0}</translation>
    </message>
</context>
<context>
    <name>ImportActions</name>
    <message>
        <location filename="../../heatgis/gui/import_menu.py" line="31" />
        <source>&amp;Import layer…</source>
        <translation>导入图层(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/import_menu.py" line="32" />
        <source>Bring a Shapefile, GeoPackage, GeoJSON, KML, CSV/XLSX, DXF or OpenStreetMap file into a layer, with a field mapping</source>
        <translation>将 Shapefile、GeoPackage、GeoJSON、KML、CSV/XLSX、DXF 或 OpenStreetMap 文件按字段对应导入图层</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/import_menu.py" line="34" />
        <source>Zones from a lockdown &amp;notice…</source>
        <translation>从封控通告生成管控区(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/import_menu.py" line="35" />
        <source>Paste or load an announcement; its compound names become zones</source>
        <translation>粘贴或打开通告，其中的小区名称生成管控区</translation>
    </message>
</context>
<context>
    <name>LayersPanel</name>
    <message>
        <location filename="../../heatgis/gui/panels/layers.py" line="72" />
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/layers.py" line="72" />
        <source>Size / width</source>
        <translation>大小 / 线宽</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/layers.py" line="73" />
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/layers.py" line="75" />
        <source>Show labels</source>
        <translation>显示标注</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/layers.py" line="76" />
        <source>Legend</source>
        <translation>图例</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="163" />
        <source>Cancel the work in progress</source>
        <translation>取消正在进行的工作</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="263" />
        <source>Cancelled: nothing was changed</source>
        <translation>已取消：未做任何更改</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="165" />
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="165" />
        <source>Lockdown impact</source>
        <translation>封控影响</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="166" />
        <source>Feature attributes</source>
        <translation>要素属性</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="166" />
        <location filename="../../heatgis/gui/main_window.py" line="229" />
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="167" />
        <source>Attribute table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="167" />
        <source>Staffing plan</source>
        <translation>驻守安排</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="168" />
        <source>Crew routes</source>
        <translation>抢修队路线</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="191" />
        <source>Opening {0}</source>
        <translation>正在打开 {0}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="284" />
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="295" />
        <source>The bundled demo is kept as it is: save the project under another name</source>
        <translation>自带的演示项目保持不变：请另存为其他文件名</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="321" />
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="322" />
        <location filename="../../heatgis/gui/main_window.py" line="396" />
        <source>HeatGIS project (*.gpkg)</source>
        <translation>HeatGIS 项目 (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="390" />
        <source>The project has unsaved changes. Save them?</source>
        <translation>项目有未保存的修改，是否保存？</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="395" />
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="429" />
        <source>Scale 1:{0}</source>
        <translation>比例尺 1:{0}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="456" />
        <source>Heat balance at the coldest hour {0} ({1:.1f} °C): {2} of {3} networks in deficit</source>
        <translation>最冷时刻 {0}（{1:.1f} °C）供热平衡：{3} 个管网中 {2} 个有缺口</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="1" />
        <source>Crew operations</source>
        <translation>抢修队值班</translation>
    </message>
    <message>
        <source>The translation for {0} was not found</source>
        <translation>未找到 {0} 的翻译</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Reset layout</source>
        <translation>重置布局</translation>
    </message>
</context>
<context>
    <name>OutputActions</name>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="40" />
        <source>&amp;Print layout…</source>
        <translation>打印版面(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="41" />
        <source>Export &amp;report (xlsx, pptx)…</source>
        <translation>导出报告(&amp;R) (xlsx, pptx)…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="42" />
        <source>Presentation mode</source>
        <translation>演示模式</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="80" />
        <location filename="../../heatgis/gui/outputs_menu.py" line="114" />
        <source>Wrote {0} and {1}</source>
        <translation>已写出 {0} 和 {1}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="116" />
        <source>Writing the report to {0}</source>
        <translation>正在写出报告到 {0}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="119" />
        <source>Folder for the report</source>
        <translation>报告保存文件夹</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="1" />
        <source>Published reports…</source>
        <translation>已发布的报告…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="1" />
        <source>record the published report</source>
        <translation>记录已发布的报告</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="1" />
        <source>Published reports</source>
        <translation>已发布的报告</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="1" />
        <source>No report has been published from this project yet.</source>
        <translation>本项目尚未发布过报告。</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="1" />
        <source>Open issues for the meeting…</source>
        <translation>会议待决事项…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="1" />
        <source>Open issues for the meeting</source>
        <translation>会议待决事项</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="1" />
        <source>edit the open issues</source>
        <translation>编辑待决事项</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/outputs_menu.py" line="1" />
        <source>What the command meeting must decide, one a line (the briefing&apos;s last slide):</source>
        <translation>指挥部会议需要决策的事项，每行一项（汇报的最后一页）：</translation>
    </message>
</context>
<context>
    <name>PlanDocks</name>
    <message>
        <location filename="../../heatgis/gui/plans.py" line="33" />
        <source>Open a project to see this plan</source>
        <translation>打开项目后显示此计划</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/plans.py" line="83" />
        <source>the lockdown zones changed</source>
        <translation>管控区已变更</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/plans.py" line="94" />
        <source>the staffing plan changed the crews' duty list</source>
        <translation>驻守安排改变了抢修任务清单</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/plans.py" line="104" />
        <source>Dispatch {0}: crew {1}, ETA {2:%H:%M}</source>
        <translation>派遣 {0}：抢修队 {1}，预计到达 {2:%H:%M}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/plans.py" line="107" />
        <source>Dispatch {0}: no free crew can reach the site</source>
        <translation>派遣 {0}：没有可到达的空闲抢修队</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/plans.py" line="1" />
        <source>Ticket {0}: crew {1}, ETA {2:%H:%M}</source>
        <translation>工单 {0}：抢修队 {1}，预计到达 {2:%H:%M}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/plans.py" line="1" />
        <source>Click a site or a point on the map for the new ticket</source>
        <translation>在地图上点击站点或位置以新增工单</translation>
    </message>
</context>
<context>
    <name>PrintDialog</name>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="35" />
        <source>Print layout</source>
        <translation>打印版面</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="42" />
        <source>Landscape</source>
        <translation>横向</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="43" />
        <source>Portrait</source>
        <translation>纵向</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="49" />
        <source>Plans on the map (staffing, crew routes)</source>
        <translation>地图上显示计划（驻守安排、抢修路线）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="53" />
        <source>Current map extent</source>
        <translation>当前地图范围</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="54" />
        <source>Whole city</source>
        <translation>全市</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="62" />
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="63" />
        <source>Orientation</source>
        <translation>方向</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="64" />
        <source>PNG resolution</source>
        <translation>PNG 分辨率</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="65" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="66" />
        <source>Subtitle</source>
        <translation>副标题</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="67" />
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="70" />
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="71" />
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="72" />
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="181" />
        <source>Wrote {0}</source>
        <translation>已写出 {0}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="190" />
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="190" />
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/print_dialog.py" line="191" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Type a scale (1:25000) or pick one; Auto: the round scale that fits</source>
        <translation>输入比例尺（如 1:25000）或从列表选择；自动：能容纳地图的整数比例尺</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>比例尺</translation>
    </message>
    <message>
        <source>Wall map (readable from 2 m)</source>
        <translation>挂图（2 米外可读）</translation>
    </message>
    <message>
        <source>No text below 14 pt; the map's symbols and labels grow with the sheet (A2, A1, A0: on)</source>
        <translation>文字不小于 14 磅；地图符号和标注随图幅放大（A2、A1、A0 默认开启）</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>文字大小</translation>
    </message>
</context>
<context>
    <name>RoutesPanel</name>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="33" />
        <location filename="../../heatgis/gui/panels/routes.py" line="44" />
        <source>crew</source>
        <translation>抢修队</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="35" />
        <location filename="../../heatgis/gui/panels/routes.py" line="52" />
        <source>site</source>
        <translation>站点</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="36" />
        <location filename="../../heatgis/gui/panels/routes.py" line="45" />
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="37" />
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="38" />
        <source>zones</source>
        <translation>管控区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="40" />
        <source>depart</source>
        <translation>出发</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="46" />
        <source>from</source>
        <translation>出发地</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="47" />
        <source>free</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="48" />
        <source>why not</source>
        <translation>不可派原因</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="49" />
        <source>min</source>
        <translation>分钟</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="53" />
        <source>reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="54" />
        <source>detail</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="262" />
        <source>day 08:00–20:00</source>
        <translation>白班 08:00–20:00</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="263" />
        <source>night 20:00–08:00</source>
        <translation>夜班 20:00–08:00</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="264" />
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="265" />
        <source>Time limit</source>
        <translation>求解时限</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="266" />
        <source>At most this long; the search stops earlier once the plan has settled</source>
        <translation>最长求解时间；方案稳定后提前结束</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="267" />
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="268" />
        <source>Visits already started by then are kept as they are</source>
        <translation>此时已开始的到站保持不变</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="269" />
        <source>Plan routes</source>
        <translation>排班路线</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="270" />
        <source>Re-plan</source>
        <translation>重新规划</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="271" />
        <source>Keep the visits already started at 'now', plan the rest around the current zones</source>
        <translation>保留“现在”已开始的到站，其余按当前管控区重新规划</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="273" />
        <source>Dispatch nearest crew</source>
        <translation>派最近抢修队</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="274" />
        <source>To the selected station or boiler room (or use the Dispatch map tool)</source>
        <translation>派往所选换热站或锅炉房（或使用地图上的派遣工具）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="276" />
        <source>Print route sheets…</source>
        <translation>打印路线单…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="277" />
        <source>A PDF with one page per working crew: its route map, ordered stops, addresses, ETAs and distances</source>
        <translation>每支出勤抢修队一页的 PDF：路线图、站点顺序、地址、预计到达时间和里程</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="279" />
        <source>Stops / ETA</source>
        <translation>站点与到达</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="280" />
        <source>Not served</source>
        <translation>未安排</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="281" />
        <source>Dispatch</source>
        <translation>抢修派遣</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="285" />
        <source>hours from shift start</source>
        <translation>距班次开始小时</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="300" />
        <source>the time is outside this plan's shift</source>
        <translation>时间已移出该班次</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="311" />
        <source>⚠ Routes out of date{0} — press Re-plan (started visits are kept)</source>
        <translation>⚠ 路线已过期{0} — 点「重新规划」（保留已出发的路线）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="340" />
        <source>staffing plan</source>
        <translation>驻守安排</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="440" />
        <source>Printing route sheets → {0}</source>
        <translation>正在打印路线单 → {0}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="444" />
        <source>Route sheets written: {0}</source>
        <translation>路线单已写入：{0}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="452" />
        <source>Print route sheets</source>
        <translation>打印路线单</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="461" />
        <source>Select a station or boiler room first (or use the Dispatch map tool)</source>
        <translation>请先在地图上选择一个换热站或锅炉房（或使用派遣工具）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="490" />
        <source>{0}: finding the nearest free crew…</source>
        <translation>{0}：正在查找最近的空闲抢修队…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="498" />
        <source>{0} @ {1}: no free crew can reach the site</source>
        <translation>{0} @ {1}：没有可派的空闲抢修队</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/routes.py" line="548" />
        <source>{span}: {visits} visits, {used}/{crews} crews, {hours} h driving, {dropped} not served (duty: {duty})</source>
        <translation>{span}：到站 {visits} 处，抢修队 {used}/{crews}，行车 {hours} 小时，未安排 {dropped} 处（任务来源：{duty}）</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; @ {1} → &lt;b&gt;{2} {3}&lt;/b&gt; (from {4}), ETA &lt;b&gt;{5}&lt;/b&gt;, {6:.0f} min, {7:.1f} km</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt; @ {1} → &lt;b&gt;{2} {3}&lt;/b&gt;（从 {4} 出发），预计到达 &lt;b&gt;{5}&lt;/b&gt;，{6:.0f} 分钟，{7:.1f} 公里</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>预计到达</translation>
    </message>
    <message>
        <source>km</source>
        <translation>公里</translation>
    </message>
    <message>
        <source>time of day</source>
        <translation>时刻</translation>
    </message>
    <message>
        <source>plan for {0}, not shown on the map at {1}</source>
        <translation>此计划为 {0} 所做，地图时间 {1} 不显示</translation>
    </message>
</context>
<context>
    <name>StaffingPanel</name>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="41" />
        <location filename="../../heatgis/gui/panels/staffing.py" line="54" />
        <source>site</source>
        <translation>站点</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="42" />
        <location filename="../../heatgis/gui/panels/staffing.py" line="55" />
        <source>site name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="43" />
        <source>shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="44" />
        <source>staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="45" />
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="46" />
        <source>role</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="47" />
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="48" />
        <source>walk m</source>
        <translation>步行 m</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="49" />
        <source>same compound</source>
        <translation>同小区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="50" />
        <source>pinned</source>
        <translation>固定</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="53" />
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="56" />
        <source>zones</source>
        <translation>管控区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="57" />
        <source>need</source>
        <translation>需</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="58" />
        <source>got</source>
        <translation>到岗</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="59" />
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="60" />
        <source>reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="183" />
        <source>Solve</source>
        <translation>求解</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="184" />
        <source>Plan who runs each locked site at this time</source>
        <translation>安排此时每个锁闭站点由谁驻守</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="185" />
        <source>⚠ Zones changed: this plan is out of date, re-solving…</source>
        <translation>⚠ 管控区已变更，计划待更新，正在重新求解…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="186" />
        <source>Pin</source>
        <translation>固定</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="187" />
        <source>Keep the selected assignments whatever the solver finds</source>
        <translation>无论求解结果如何，保留所选安排</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="188" />
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="189" />
        <source>Take the selected people off their site and re-solve around it</source>
        <translation>将所选人员移出其站点并重新求解</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="190" />
        <source>Clear overrides</source>
        <translation>清除人工调整</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="191" />
        <source>Drop every pin and removal (saved with the project)</source>
        <translation>清除全部固定与移除（随项目保存）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="192" />
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="193" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="194" />
        <source>Assignments</source>
        <translation>驻守人员</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="195" />
        <source>Sites short</source>
        <translation>缺员站点</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="378" />
        <source>Export staffing plan</source>
        <translation>导出驻守安排</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/staffing.py" line="392" />
        <source>{at} — locked sites {locked}: fully staffed {full}, partly {partly}, nobody {nobody}; left to crews {crews}. Places {pf}/{pn}, on call {cf}/{cn}; staff locked in {li}, assigned {sa}.</source>
        <translation>{at} — 锁闭站点 {locked}：全驻守 {full}，部分 {partly}，无人 {nobody}；交抢修队 {crews}。岗位 {pf}/{pn}，值守 {cf}/{cn}；居家封控员工 {li}，已安排 {sa}。</translation>
    </message>
    <message>
        <source>on call 24h</source>
        <translation>24 小时值守</translation>
    </message>
    <message>
        <source>⚠ Plan for {0}, not for {1}: solving for this time…</source>
        <translation>⚠ 当前计划为 {0} 所做，不是 {1}：正在按此时间重新求解…</translation>
    </message>
</context>
<context>
    <name>TimelinePanel</name>
    <message>
        <location filename="../../heatgis/gui/panels/timeline.py" line="79" />
        <source>Locked sites (stations, boiler rooms)</source>
        <translation>锁闭站点（换热站、锅炉房）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/timeline.py" line="79" />
        <source>Heated area (10k m²)</source>
        <translation>供热面积（万㎡）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/timeline.py" line="80" />
        <source>Households (10k)</source>
        <translation>户数（万户）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/timeline.py" line="81" />
        <source>Outdoor °C (blue), heat demand / capacity MW (red)</source>
        <translation>室外气温 ℃（蓝），供热需求/能力 MW（红）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/timeline.py" line="131" />
        <source>outdoor °C</source>
        <translation>室外气温 ℃</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/timeline.py" line="96" />
        <source>stations</source>
        <translation>换热站</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/timeline.py" line="97" />
        <source>boiler rooms</source>
        <translation>锅炉房</translation>
    </message>
</context>
<context>
    <name>ZoneDialog</name>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="15" />
        <source>Lockdown zone</source>
        <translation>管控区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="27" />
        <source>still active (no end)</source>
        <translation>仍在生效（无解除时间）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="35" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="36" />
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="37" />
        <source>Start</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="38" />
        <source>End</source>
        <translation>解除时间</translation>
    </message>
</context>
<context>
    <name>BasemapDialog</name>
    <message>
        <source>Basemap</source>
        <translation>底图</translation>
    </message>
    <message>
        <source>Show a basemap behind the data</source>
        <translation>在数据下方显示底图</translation>
    </message>
    <message>
        <source>An .mbtiles file or a folder of z/x/y.png tiles</source>
        <translation>.mbtiles 文件，或按 z/x/y.png 存放瓦片的文件夹</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>Tiles are in GCJ-02 (Amap, Tencent): shift them onto WGS84</source>
        <translation>瓦片为 GCJ-02 坐标（高德、腾讯）：纠偏到 WGS84</translation>
    </message>
    <message>
        <source>Nothing is downloaded: the tiles come from the file or folder. They are reprojected to the project&apos;s coordinate system and kept in a cache on disk.</source>
        <translation>不联网下载：瓦片取自所选文件或文件夹，投影到项目坐标系，并缓存在本机磁盘上。</translation>
    </message>
    <message>
        <source>Tiles</source>
        <translation>瓦片</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <source>Basemap tiles</source>
        <translation>底图瓦片</translation>
    </message>
    <message>
        <source>MBTiles (*.mbtiles);;All files (*)</source>
        <translation>MBTiles (*.mbtiles);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Tile folder (z/x/y.png)</source>
        <translation>瓦片文件夹 (z/x/y.png)</translation>
    </message>
</context>
<context>
    <name>BookmarksMenu</name>
    <message>
        <source>&amp;Bookmarks</source>
        <translation>书签(&amp;B)</translation>
    </message>
    <message>
        <source>Add current view…</source>
        <translation>添加当前视图…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>View {0}</source>
        <translation>视图 {0}</translation>
    </message>
    <message>
        <source>Add bookmark {0}</source>
        <translation>添加书签 {0}</translation>
    </message>
    <message>
        <source>Delete bookmark {0}</source>
        <translation>删除书签 {0}</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>书签</translation>
    </message>
    <message>
        <source>Name of this view:</source>
        <translation>视图名称：</translation>
    </message>
</context>
<context>
    <name>GisTools</name>
    <message>
        <source>Measure distance and area</source>
        <translation>量测距离和面积</translation>
    </message>
    <message>
        <source>Basemap…</source>
        <translation>底图…</translation>
    </message>
    <message>
        <source>Drag to pan, wheel to zoom</source>
        <translation>拖动平移，滚轮缩放</translation>
    </message>
    <message>
        <source>Click a feature to see its attributes</source>
        <translation>点击要素查看属性</translation>
    </message>
    <message>
        <source>Click a feature or drag a box to select</source>
        <translation>点击要素或拖框选择</translation>
    </message>
    <message>
        <source>Click to add a vertex, double-click to finish, Backspace removes the last, Esc to cancel</source>
        <translation>单击添加顶点，双击完成，退格键删除上一个顶点，Esc 取消</translation>
    </message>
    <message>
        <source>Click a zone, drag its vertices; Delete removes it, double-click edits it, Esc to cancel</source>
        <translation>单击选中管控区，拖动顶点修改；Delete 删除，双击编辑属性，Esc 取消</translation>
    </message>
    <message>
        <source>Click a station or boiler room to send the nearest free crew</source>
        <translation>点击换热站或锅炉房，派遣最近的空闲抢修队</translation>
    </message>
    <message>
        <source>Click to add a point, double-click to finish, Backspace removes the last, Esc to cancel</source>
        <translation>单击添加点，双击完成，退格键删除上一个点，Esc 取消</translation>
    </message>
    <message>
        <source>Plan legend on the map</source>
        <translation>地图上显示计划图例</translation>
    </message>
    <message>
        <source>The project's basemap {0} was not found: shown without it</source>
        <translation>未找到项目的底图 {0}：不显示底图</translation>
    </message>
</context>
<context>
    <name>ScaleBox</name>
    <message>
        <source>Scale</source>
        <translation>比例尺</translation>
    </message>
    <message>
        <source>Type a scale (1:25000) and press Enter to zoom the map to it</source>
        <translation>输入比例尺（如 1:25000）并按回车，地图缩放到该比例尺</translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <source>Search: name, id, pinyin (hry), address…</source>
        <translation>搜索：名称、编号、拼音（hry）、地址…</translation>
    </message>
    <message>
        <source>Find a compound, zone, station, boiler room, depot or person by name, id, pinyin initials or address ({0})</source>
        <translation>按名称、编号、拼音首字母或地址查找小区、管控区、换热站、锅炉房、运营所或人员（{0}）</translation>
    </message>
    <message>
        <source>Nothing found for &apos;{0}&apos;</source>
        <translation>未找到“{0}”</translation>
    </message>
    <message>
        <source>Building the search index…</source>
        <translation>正在建立搜索索引…</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>{0}: the file does not exist</source>
        <translation>{0}：文件不存在</translation>
    </message>
</context>
<context>
    <name>DrawZoneTool</name>
    <message>
        <source>A zone needs at least three vertices.</source>
        <translation>管控区至少需要三个顶点。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>layer {0}</source>
        <translation>图层 {0}</translation>
    </message>
    <message>
        <source>row {0}</source>
        <translation>第 {0} 行</translation>
    </message>
    <message>
        <source>field {0}</source>
        <translation>字段 {0}</translation>
    </message>
    <message>
        <source>: </source>
        <translation>：</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Fix: {0}</source>
        <translation>解决办法：{0}</translation>
    </message>
    <message>
        <source>info</source>
        <translation>提示</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>from the file (or guessed)</source>
        <translation>按文件（或自动判断）</translation>
    </message>
    <message>
        <source>GCJ-02 (Amap, Tencent)</source>
        <translation>GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
        <source>BD-09 (Baidu)</source>
        <translation>BD-09（百度）</translation>
    </message>
    <message>
        <source>WGS84 longitude/latitude</source>
        <translation>WGS84 经纬度</translation>
    </message>
    <message>
        <source>EPSG:4525 CGCS2000 zone 37</source>
        <translation>EPSG:4525 CGCS2000 37 带</translation>
    </message>
    <message>
        <source>EPSG:4490 CGCS2000 longitude/latitude</source>
        <translation>EPSG:4490 CGCS2000 经纬度</translation>
    </message>
    <message>
        <source>Shapefile, GeoPackage, GeoJSON, KML, CSV, Excel, DXF, OSM (*.shp *.gpkg *.geojson *.json *.kml *.kmz *.csv *.txt *.xlsx *.dxf *.osm *.pbf *.fgb);;All files (*)</source>
        <translation>Shapefile、GeoPackage、GeoJSON、KML、CSV、Excel、DXF、OSM (*.shp *.gpkg *.geojson *.json *.kml *.kmz *.csv *.txt *.xlsx *.dxf *.osm *.pbf *.fgb);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import data</source>
        <translation>导入数据</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>ask when the layer has rows</source>
        <translation>图层已有数据时询问</translation>
    </message>
    <message>
        <source>replace the layer</source>
        <translation>替换图层</translation>
    </message>
    <message>
        <source>append to it</source>
        <translation>追加到图层</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>目标图层</translation>
    </message>
    <message>
        <source>Source layer or sheet</source>
        <translation>源图层/工作表</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Coordinates</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Source column</source>
        <translation>来源列</translation>
    </message>
    <message>
        <source>Factor or value</source>
        <translation>系数/值</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Field mapping</source>
        <translation>字段映射</translation>
    </message>
    <message>
        <source>Load mapping…</source>
        <translation>载入映射…</translation>
    </message>
    <message>
        <source>Save mapping…</source>
        <translation>保存映射…</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>The layer {0} already has {1} rows.</source>
        <translation>图层 {0} 已有 {1} 行。</translation>
    </message>
    <message>
        <source>Append</source>
        <translation>追加</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>{0} rows previewed</source>
        <translation>预览 {0} 行</translation>
    </message>
    <message>
        <source>text {0} ({1})</source>
        <translation>文本编码 {0}（{1}）</translation>
    </message>
    <message>
        <source>CRS {0}</source>
        <translation>坐标系 {0}</translation>
    </message>
    <message>
        <source>no CRS in the file</source>
        <translation>文件中没有坐标系</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source> (optional)</source>
        <translation>（可选）</translation>
    </message>
    <message>
        <source>= constant value</source>
        <translation>= 固定值</translation>
    </message>
    <message>
        <source>Load mapping</source>
        <translation>载入映射</translation>
    </message>
    <message>
        <source>Mapping (*.json)</source>
        <translation>字段映射 (*.json)</translation>
    </message>
    <message>
        <source>Save mapping</source>
        <translation>保存映射</translation>
    </message>
    <message>
        <source>{0}: {1} of {2} rows → layer {3}</source>
        <translation>{0}：{2} 行中导入 {1} 行 → 图层 {3}</translation>
    </message>
    <message>
        <source>, text {0}</source>
        <translation>，文本编码 {0}</translation>
    </message>
    <message>
        <source>coordinates taken as {0}</source>
        <translation>坐标按 {0} 读取</translation>
    </message>
    <message>
        <source>converted: {0}</source>
        <translation>已转换：{0}</translation>
    </message>
    <message>
        <source>Choose a file first.</source>
        <translation>请先选择文件。</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>The import failed unexpectedly: {0}</source>
        <translation>导入意外失败：{0}</translation>
    </message>
    <message>
        <source>Cancelled: nothing was imported.</source>
        <translation>已取消：未导入任何数据。</translation>
    </message>
    <message>
        <source>Not imported: choose replace or append.</source>
        <translation>未导入：请选择替换或追加。</translation>
    </message>
</context>
<context>
    <name>NoticeDialog</name>
    <message>
        <source>✓ matched</source>
        <translation>✓ 匹配</translation>
    </message>
    <message>
        <source>? to confirm</source>
        <translation>? 待确认</translation>
    </message>
    <message>
        <source>✗ unmatched</source>
        <translation>✗ 未匹配</translation>
    </message>
    <message>
        <source>Zones from a notice</source>
        <translation>通告生成管控区</translation>
    </message>
    <message>
        <source>Paste the announcement here, or load a .txt/.docx</source>
        <translation>在此粘贴通告全文，或载入 .txt/.docx 文件</translation>
    </message>
    <message>
        <source>Load file…</source>
        <translation>载入文件…</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>匹配</translation>
    </message>
    <message>
        <source>from the notice</source>
        <translation>按通告</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Accept automatically ≥</source>
        <translation>自动接受 ≥</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>采用</translation>
    </message>
    <message>
        <source>Name in the notice</source>
        <translation>通告名称</translation>
    </message>
    <message>
        <source>Compound (score)</source>
        <translation>小区（得分）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Create zones</source>
        <translation>生成管控区</translation>
    </message>
    <message>
        <source>Unmatched (draw them by hand):</source>
        <translation>未匹配（请手工绘制）：</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>通告</translation>
    </message>
    <message>
        <source>Notice (*.txt *.docx);;All files (*)</source>
        <translation>通告 (*.txt *.docx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{0} names: {1} matched, {2} to confirm, {3} unmatched; start {4}</source>
        <translation>共 {0} 个名称：{1} 个匹配，{2} 个待确认，{3} 个未匹配；开始时间 {4}</translation>
    </message>
    <message>
        <source>Nothing matched yet.</source>
        <translation>尚未匹配。</translation>
    </message>
    <message>
        <source>Paste a notice and press Match.</source>
        <translation>请粘贴通告并点击“匹配”。</translation>
    </message>
    <message>
        <source>No row is checked: nothing to add.</source>
        <translation>没有勾选任何行：无可添加的管控区。</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>精确</translation>
    </message>
    <message>
        <source>variant</source>
        <translation>异写</translation>
    </message>
    <message>
        <source>fuzzy</source>
        <translation>模糊</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>reading</source>
        <translation>正在读取</translation>
    </message>
    <message>
        <source>reading {0}</source>
        <translation>正在读取 {0}</translation>
    </message>
    <message>
        <source>mapping fields</source>
        <translation>映射字段</translation>
    </message>
    <message>
        <source>coordinate system</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>repairing geometries</source>
        <translation>修复几何</translation>
    </message>
    <message>
        <source>checking against the contract</source>
        <translation>按图层规范检查</translation>
    </message>
    <message>
        <source>indexing</source>
        <translation>建立索引</translation>
    </message>
    <message>
        <source>zones</source>
        <translation>管控区</translation>
    </message>
    <message>
        <source>timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>impact</source>
        <translation>影响</translation>
    </message>
    <message>
        <source>staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>candidates</source>
        <translation>候选人员</translation>
    </message>
    <message>
        <source>staffing plan</source>
        <translation>驻守安排</translation>
    </message>
    <message>
        <source>duty</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>duty list</source>
        <translation>任务清单</translation>
    </message>
    <message>
        <source>road graph</source>
        <translation>路网</translation>
    </message>
    <message>
        <source>travel times</source>
        <translation>行车时间</translation>
    </message>
    <message>
        <source>roster</source>
        <translation>排班</translation>
    </message>
    <message>
        <source>routes</source>
        <translation>路线</translation>
    </message>
    <message>
        <source>drive-through</source>
        <translation>行程汇总</translation>
    </message>
    <message>
        <source>dispatch</source>
        <translation>派单</translation>
    </message>
    <message>
        <source>crew plan</source>
        <translation>抢修队路线计划</translation>
    </message>
    <message>
        <source>crews' operations plan</source>
        <translation>抢修队值班计划</translation>
    </message>
    <message>
        <source>route geometries</source>
        <translation>路线几何</translation>
    </message>
    <message>
        <source>loads</source>
        <translation>热负荷</translation>
    </message>
    <message>
        <source>balance</source>
        <translation>供需平衡</translation>
    </message>
    <message>
        <source>risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>heat balance</source>
        <translation>供热平衡</translation>
    </message>
    <message>
        <source>staffing plan at the coldest hour</source>
        <translation>最冷时刻的驻守安排</translation>
    </message>
    <message>
        <source>map</source>
        <translation>地图</translation>
    </message>
    <message>
        <source>picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>workbook</source>
        <translation>工作簿</translation>
    </message>
    <message>
        <source>slides</source>
        <translation>幻灯片</translation>
    </message>
    <message>
        <source>solving {0} visits for {1} crews</source>
        <translation>求解 {0} 处到站、{1} 支抢修队</translation>
    </message>
    <message>
        <source>{0} visits planned, {1} not served</source>
        <translation>已排 {0} 处到站，{1} 处未安排</translation>
    </message>
    <message>
        <source>plan done: {0} visits, {1} h driving</source>
        <translation>计划完成：{0} 处到站，行车 {1} 小时</translation>
    </message>
    <message>
        <source>plan {0}: {1} visits, {2} h driving</source>
        <translation>方案 {0}：{1} 处到站，行车 {2} 小时</translation>
    </message>
</context>
<context>
    <name>DatabaseActions</name>
    <message>
        <source>Open &amp;database…</source>
        <translation>打开数据库(&amp;D)…</translation>
    </message>
    <message>
        <source>Open a project shared on a PostgreSQL/PostGIS server</source>
        <translation>打开共享在 PostgreSQL/PostGIS 服务器上的项目</translation>
    </message>
    <message>
        <source>Edit &amp;history…</source>
        <translation>编辑历史(&amp;H)…</translation>
    </message>
    <message>
        <source>Who changed what in the shared project, and when</source>
        <translation>共享项目中谁在何时修改了什么</translation>
    </message>
    <message>
        <source>Not following the others' edits: {0} (trying again)</source>
        <translation>暂时无法接收他人的修改：{0}（正在重试）</translation>
    </message>
    <message>
        <source>{0} added {1} {2} ({3})</source>
        <translation>{0} 新增了 {1} {2}（{3}）</translation>
    </message>
    <message>
        <source>{0} deleted {1} {2} ({3})</source>
        <translation>{0} 删除了 {1} {2}（{3}）</translation>
    </message>
    <message>
        <source>{0} changed {1} {2} ({3})</source>
        <translation>{0} 修改了 {1} {2}（{3}）</translation>
    </message>
    <message>
        <source> — you have an unsaved edit on it: saving will offer to reload and re-apply</source>
        <translation> — 您对其有未保存的修改：保存时将提示重新载入并重新应用</translation>
    </message>
    <message>
        <source>⚠ {0} of your edits conflict</source>
        <translation>⚠ {0} 处修改与他人冲突</translation>
    </message>
    <message>
        <source>Save to reload those rows and apply your edits again.</source>
        <translation>保存时将重新载入这些行并重新应用您的修改。</translation>
    </message>
    <message>
        <source>Read-only: the database lets {0} view and print this project, not edit it</source>
        <translation>只读：数据库只允许 {0} 查看和打印此项目，不能编辑</translation>
    </message>
    <message>
        <source>Following the others' edits again</source>
        <translation>已恢复接收他人的修改</translation>
    </message>
    <message>
        <source>another planner</source>
        <translation>其他规划人员</translation>
    </message>
    <message>
        <source>Following the others' edits again: {0} row(s) they changed meanwhile taken in</source>
        <translation>已恢复接收他人的修改：已载入期间被他人修改的 {0} 行</translation>
    </message>
</context>
<context>
    <name>DatabaseDialog</name>
    <message>
        <source>Open a project in a database</source>
        <translation>打开数据库中的项目</translation>
    </message>
    <message>
        <source>Forget</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the selected connection from the list</source>
        <translation>从列表中移除所选连接</translation>
    </message>
    <message>
        <source>Server name or address, or the folder of its unix socket</source>
        <translation>服务器名称或地址，或其 Unix 套接字所在目录</translation>
    </message>
    <message>
        <source>The schema that holds the project (heatgis push PROJECT.gpkg URL makes one)</source>
        <translation>存放项目的模式（可用 heatgis push 项目.gpkg URL 创建）</translation>
    </message>
    <message>
        <source>empty: from ~/.pgpass or PGPASSWORD</source>
        <translation>留空：使用 ~/.pgpass 或 PGPASSWORD</translation>
    </message>
    <message>
        <source>Used for this session only; never saved</source>
        <translation>仅用于本次会话，不会保存</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Remembered connections</source>
        <translation>已记住的连接</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Schema (project)</source>
        <translation>模式（项目）</translation>
    </message>
    <message>
        <source>Fill in the field: {0}</source>
        <translation>请填写：{0}</translation>
    </message>
    <message>
        <source>Connecting to {0}…</source>
        <translation>正在连接 {0}…</translation>
    </message>
    <message>
        <source>Correct the connection and try again.</source>
        <translation>请更正连接信息后重试。</translation>
    </message>
    <message>
        <source>Connected as {0}: a HeatGIS project with {1} layers.</source>
        <translation>已以 {0} 身份连接：HeatGIS 项目，共 {1} 个图层。</translation>
    </message>
    <message>
        <source>This user may only view it (read-only).</source>
        <translation>该用户只能查看（只读）。</translation>
    </message>
    <message>
        <source>The database refused the password of {0}.</source>
        <translation>数据库拒绝了 {0} 的密码。</translation>
    </message>
    <message>
        <source>The database asks for a password: type it above.</source>
        <translation>数据库需要密码：请在上方输入。</translation>
    </message>
    <message>
        <source>No database server answers at {0} (not running, or a wrong host or port).</source>
        <translation>{0} 上没有数据库服务器响应（未运行，或主机、端口有误）。</translation>
    </message>
    <message>
        <source>The database has no schema {0}.</source>
        <translation>数据库中没有模式 {0}。</translation>
    </message>
    <message>
        <source>The schema {0} holds no HeatGIS project.</source>
        <translation>模式 {0} 中没有 HeatGIS 项目。</translation>
    </message>
    <message>
        <source>There is no database {0} on this server.</source>
        <translation>该服务器上没有数据库 {0}。</translation>
    </message>
    <message>
        <source>The database knows no user {0}.</source>
        <translation>数据库中没有用户 {0}。</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>Edit history</source>
        <translation>编辑历史</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>all layers</source>
        <translation>全部图层</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>row id, e.g. Z-005</source>
        <translation>行编号，如 Z-005</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>geometry</source>
        <translation>几何形状</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Before → after</source>
        <translation>修改前 → 修改后</translation>
    </message>
    <message>
        <source>{0} changes, newest first</source>
        <translation>共 {0} 条修改，最新的在前</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>draw zone {0}</source>
        <translation>绘制管控区 {0}</translation>
    </message>
    <message>
        <source>delete zone {0}</source>
        <translation>删除管控区 {0}</translation>
    </message>
    <message>
        <source>edit outline of zone {0}</source>
        <translation>修改管控区 {0} 边界</translation>
    </message>
    <message>
        <source>change zone {0}</source>
        <translation>修改管控区 {0} 属性</translation>
    </message>
    <message>
        <source>add {0} zones from {1}</source>
        <translation>从 {1} 新增 {0} 个管控区</translation>
    </message>
    <message>
        <source>import {0} {1} from {2}</source>
        <translation>从 {2} 导入 {0} 条{1}</translation>
    </message>
    <message>
        <source>import {0} {1}</source>
        <translation>导入 {0} 条{1}</translation>
    </message>
    <message>
        <source>add ticket {0}</source>
        <translation>新增工单 {0}</translation>
    </message>
    <message>
        <source>clear staffing overrides</source>
        <translation>清除驻守调整</translation>
    </message>
    <message>
        <source>staffing overrides</source>
        <translation>驻守调整</translation>
    </message>
    <message>
        <source>pin {0}</source>
        <translation>固定 {0}</translation>
    </message>
    <message>
        <source>remove {0}</source>
        <translation>移出 {0}</translation>
    </message>
    <message>
        <source>change basemap</source>
        <translation>更换底图</translation>
    </message>
    <message>
        <source>set {0}</source>
        <translation>设置 {0}</translation>
    </message>
    <message>
        <source>edit {0}</source>
        <translation>编辑 {0}</translation>
    </message>
</context>
<context>
    <name>HistoryMenu</name>
    <message>
        <source>Opened project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>Undo history</source>
        <translation>撤销历史</translation>
    </message>
</context>
<context>
    <name>IdentifyStatus</name>
    <message>
        <source>Locked</source>
        <translation>是否锁闭</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>{0} {1} ({2}) since {3}</source>
        <translation>{0} {1}（{2}），自 {3} 起</translation>
    </message>
    <message>
        <source>By zone</source>
        <translation>所在管控区</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>In zone</source>
        <translation>位于</translation>
    </message>
    <message>
        <source>Staffed by</source>
        <translation>驻守人员</translation>
    </message>
    <message>
        <source>nobody: left to the crews</source>
        <translation>无人：由抢修队负责</translation>
    </message>
    <message>
        <source>Next crew visit</source>
        <translation>下次抢修队到站</translation>
    </message>
    <message>
        <source>{0}, ETA {1}</source>
        <translation>{0}，预计 {1} 到达</translation>
    </message>
</context>
<context>
    <name>MapCanvas</name>
    <message>
        <source>staffing plan</source>
        <translation>驻守安排</translation>
    </message>
    <message>
        <source>crew routes</source>
        <translation>抢修队路线</translation>
    </message>
    <message>
        <source>dispatch</source>
        <translation>抢修派遣</translation>
    </message>
    <message>
        <source>Plans for another time hidden: {0} (map at {1})</source>
        <translation>已隐藏其他时间的计划：{0}（地图时间 {1}）</translation>
    </message>
</context>
</TS>
