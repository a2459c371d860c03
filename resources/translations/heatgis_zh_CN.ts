<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="73"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="74"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="75"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="76"/>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="77"/>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="78"/>
        <source>Panels</source>
        <translation>面板</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="79"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="80"/>
        <source>&amp;Open project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="81"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="82"/>
        <source>Save &amp;as…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="83"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="84"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="85"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="86"/>
        <source>&amp;Delete selected zone</source>
        <translation>删除选中的管控区(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="87"/>
        <source>Zoom to full extent</source>
        <translation>缩放到全市</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="88"/>
        <source>Zoom to layer</source>
        <translation>缩放到图层</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="89"/>
        <source>Zoom to selection</source>
        <translation>缩放到所选</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="90"/>
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="90"/>
        <source>Identify</source>
        <translation>识别</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="90"/>
        <source>Select</source>
        <translation>选择</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="91"/>
        <source>Draw zone</source>
        <translation>绘制管控区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="91"/>
        <source>Edit zone</source>
        <translation>编辑管控区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/actions.py" line="92"/>
        <source>Dispatch crew</source>
        <translation>派遣抢修队</translation>
    </message>
</context>
<context>
    <name>DispatchTool</name>
    <message>
        <location filename="../../heatgis/gui/tools/dispatch.py" line="30"/>
        <source>Click a station or boiler room to dispatch a crew to it</source>
        <translation>点击换热站或锅炉房，派最近的抢修队前往</translation>
    </message>
</context>
<context>
    <name>IdentifyPanel</name>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="133"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="133"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/attributes.py" line="141"/>
        <source>layer</source>
        <translation>图层</translation>
    </message>
</context>
<context>
    <name>ImpactPanel</name>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="61"/>
        <source>locked stations</source>
        <translation>锁闭换热站</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="61"/>
        <source>locked boiler rooms</source>
        <translation>锁闭锅炉房</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="62"/>
        <source>heated area (10k m²)</source>
        <translation>供热面积（万㎡）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="62"/>
        <source>households (10k)</source>
        <translation>户数（万户）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="63"/>
        <source>staff locked in</source>
        <translation>居家封控员工</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="66"/>
        <source>zone</source>
        <translation>管控区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="66"/>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="66"/>
        <source>level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="67"/>
        <source>active</source>
        <translation>生效</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="67"/>
        <source>stations</source>
        <translation>换热站</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="68"/>
        <source>boiler rooms</source>
        <translation>锅炉房</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="68"/>
        <source>10k m²</source>
        <translation>万㎡</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="69"/>
        <source>households</source>
        <translation>户数</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="69"/>
        <source>staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/impact.py" line="81"/>
        <source>Impact at {0}</source>
        <translation>{0} 的封控影响</translation>
    </message>
</context>
<context>
    <name>LayersPanel</name>
    <message>
        <location filename="../../heatgis/gui/panels/layers.py" line="72"/>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/layers.py" line="72"/>
        <source>Size / width</source>
        <translation>大小 / 线宽</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/layers.py" line="73"/>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/layers.py" line="75"/>
        <source>Show labels</source>
        <translation>显示标注</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/layers.py" line="76"/>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="142"/>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="142"/>
        <source>Lockdown impact</source>
        <translation>封控影响</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="143"/>
        <source>Feature attributes</source>
        <translation>要素属性</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="143"/>
        <location filename="../../heatgis/gui/main_window.py" line="206"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="144"/>
        <source>Attribute table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="144"/>
        <source>Staffing plan</source>
        <translation>驻守安排</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="145"/>
        <source>Crew routes</source>
        <translation>抢修队路线</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="168"/>
        <source>Opening {0}</source>
        <translation>正在打开 {0}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="261"/>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="298"/>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="299"/>
        <location filename="../../heatgis/gui/main_window.py" line="373"/>
        <source>HeatGIS project (*.gpkg)</source>
        <translation>HeatGIS 项目 (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="367"/>
        <source>The project has unsaved changes. Save them?</source>
        <translation>项目有未保存的修改，是否保存？</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="372"/>
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="406"/>
        <source>Scale 1:{0}</source>
        <translation>比例尺 1:{0}</translation>
    </message>
</context>
<context>
    <name>PlanDocks</name>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="492"/>
        <source>the lockdown zones changed</source>
        <translation>管控区已变更</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="503"/>
        <source>the staffing plan changed the crews&apos; duty list</source>
        <translation>驻守安排改变了抢修任务清单</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="513"/>
        <source>Dispatch {0}: crew {1}, ETA {2:%H:%M}</source>
        <translation>派遣 {0}：抢修队 {1}，预计到达 {2:%H:%M}</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/main_window.py" line="516"/>
        <source>Dispatch {0}: no free crew can reach the site</source>
        <translation>派遣 {0}：没有可到达的空闲抢修队</translation>
    </message>
</context>
<context>
    <name>TimelinePanel</name>
    <message>
        <location filename="../../heatgis/gui/panels/timeline.py" line="65"/>
        <source>Locked sites (stations, boiler rooms)</source>
        <translation>锁闭站点（换热站、锅炉房）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/timeline.py" line="65"/>
        <source>Heated area (10k m²)</source>
        <translation>供热面积（万㎡）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/timeline.py" line="66"/>
        <source>Households (10k)</source>
        <translation>户数（万户）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/timeline.py" line="82"/>
        <source>stations</source>
        <translation>换热站</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/panels/timeline.py" line="83"/>
        <source>boiler rooms</source>
        <translation>锅炉房</translation>
    </message>
</context>
<context>
    <name>ZoneDialog</name>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="15"/>
        <source>Lockdown zone</source>
        <translation>管控区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="18"/>
        <source>sealed (封控)</source>
        <translation>封控区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="18"/>
        <source>controlled (管控)</source>
        <translation>管控区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="19"/>
        <source>precaution (防范)</source>
        <translation>防范区</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="27"/>
        <source>still active (no end)</source>
        <translation>仍在生效（无解除时间）</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="35"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="36"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="37"/>
        <source>Start</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../../heatgis/gui/dialogs/zone_dialog.py" line="38"/>
        <source>End</source>
        <translation>解除时间</translation>
    </message>
</context>
<context>
    <name>self.host</name>
    <message>
        <location filename="../../heatgis/gui/tools/zones.py" line="114"/>
        <source>A zone needs at least three vertices.</source>
        <translation>管控区至少需要三个顶点。</translation>
    </message>
</context>
</TS>
