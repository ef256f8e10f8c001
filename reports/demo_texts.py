"""French, Spanish and Arabic versions of the demo edition's texts."""

TITLE_TRANSLATIONS = {
    "fr": "Rapport d'avancement au Conseil des Délégués 2025",
    "es": "Informe de progreso al Consejo de Delegados 2025",
    "ar": "تقرير التقدم المقدَّم إلى مجلس المندوبين لعام 2025",
}

EXECUTIVE_SUMMARY_TRANSLATIONS = {
    "fr": """\
En 2019, le Conseil des Délégués a adopté la politique du Mouvement relative à la prise en charge \
des besoins en matière de santé mentale et des besoins psychosociaux, et la XXXIIIe Conférence \
internationale a adopté la Résolution 2. La Feuille de route pour la mise en œuvre 2020–2023 a \
traduit ces engagements en six domaines d'action prioritaires, confiés à cinq groupes de travail \
dont les co-responsables sont issus des Sociétés nationales, de la FICR et du CICR.

Le présent rapport fait le point sur la situation du Mouvement à la fin de la période couverte par \
la feuille de route. Presque toutes les Sociétés nationales ayant répondu fournissent des services \
de santé mentale ou de soutien psychosocial, et les premiers secours psychologiques ainsi que \
l'orientation vers des soins spécialisés font désormais partie des interventions d'urgence \
courantes dans la plupart des régions. Les groupes de travail ont produit des outils communs : une \
cartographie des formations en soutien psychosocial de base, des modèles de protocoles d'accord, \
un module d'apprentissage en ligne sur le bien-être du personnel et des volontaires, et une série \
de webinaires sur le suivi, l'évaluation et la recherche.

Les progrès sont inégaux. Les budgets spécifiquement consacrés à la santé mentale et au soutien \
psychosocial (SMSPS) restent l'exception, les systèmes de suivi varient fortement d'une région à \
l'autre, et le bien-être du personnel et des volontaires dépend encore trop souvent de chaque \
responsable, au cas par cas. Les chiffres présentés ci-après proviennent des données consignées \
par les groupes de travail et des réponses des Sociétés nationales aux enquêtes menées à l'échelle \
du Mouvement en 2019 et en 2021, ainsi qu'à l'enquête finale de 2023.""",
    "es": """\
En 2019, el Consejo de Delegados aprobó la política del Movimiento relativa a la atención de las \
necesidades de salud mental y psicosociales, y la XXXIII Conferencia Internacional aprobó la \
Resolución 2. La Hoja de ruta para la implementación 2020–2023 tradujo estos compromisos en seis \
áreas de acción prioritarias, a cargo de cinco grupos de trabajo cuyos colíderes proceden de las \
Sociedades Nacionales, la FICR y el CICR.

En este informe se expone la situación en que se encuentra el Movimiento al término del período de \
la hoja de ruta. Casi todas las Sociedades Nacionales que respondieron prestan servicios de salud \
mental o de apoyo psicosocial, y los primeros auxilios psicológicos y la derivación a atención \
especializada forman parte ya de la respuesta habitual a las emergencias en la mayoría de las \
regiones. Los grupos de trabajo elaboraron herramientas comunes: un mapeo de los cursos de apoyo \
psicosocial básico, modelos de memorandos de entendimiento, un módulo de aprendizaje en línea \
sobre el bienestar del personal y los voluntarios, y una serie de seminarios web sobre \
seguimiento, evaluación e investigación.

Los avances son desiguales. Los presupuestos específicos de salud mental y apoyo psicosocial \
(SMAPS) siguen siendo la excepción, los sistemas de seguimiento varían mucho de una región a otra \
y el bienestar del personal y los voluntarios sigue dependiendo con demasiada frecuencia de cada \
responsable a título individual. Las cifras que se presentan a continuación proceden de los \
registros que llevan los grupos de trabajo y de las respuestas de las Sociedades Nacionales a las \
encuestas realizadas en todo el Movimiento en 2019 y 2021, así como a la encuesta final de 2023.""",
    "ar": """\
في عام 2019، اعتمد مجلس المندوبين سياسة الحركة بشأن تلبية الاحتياجات المتعلقة بالصحة النفسية \
والاحتياجات النفسية الاجتماعية، واعتمد المؤتمر الدولي الثالث والثلاثون القرار 2. وحوّلت خارطة طريق \
التنفيذ للفترة 2020–2023 هذه الالتزامات إلى ستة مجالات عمل ذات أولوية، تتولاها خمسة أفرقة عمل يأتي \
قادتها المشاركون من الجمعيات الوطنية والاتحاد الدولي واللجنة الدولية.

ويعرض هذا التقرير الوضع الذي وصلت إليه الحركة في نهاية فترة خارطة الطريق. فالجمعيات الوطنية التي \
استجابت للمسح تقدّم، كلها تقريبًا، خدمات في مجال الصحة النفسية أو الدعم النفسي الاجتماعي، وباتت \
الإسعافات الأولية النفسية والإحالة إلى الرعاية المتخصصة جزءًا من الاستجابة المعتادة لحالات الطوارئ \
في معظم المناطق. وأعدّت أفرقة العمل أدوات مشتركة، هي: حصر لدورات الدعم النفسي الاجتماعي الأساسي، \
ونماذج لمذكرات التفاهم، ووحدة تعلم إلكتروني بشأن رفاه الموظفين والمتطوعين، وسلسلة ندوات عبر \
الإنترنت بشأن الرصد والتقييم والبحث.

غير أن التقدم المحرز متفاوت. فلا تزال الميزانيات المخصصة لأنشطة الصحة النفسية والدعم النفسي \
الاجتماعي هي الاستثناء، وتتباين نظم الرصد تباينًا كبيرًا بين المناطق، ولا يزال رفاه الموظفين \
والمتطوعين يتوقف، في أحيان أكثر مما ينبغي، على كل مدير على حدة. والأرقام الواردة فيما يلي مستقاة \
من السجلات التي تحتفظ بها أفرقة العمل ومن إجابات الجمعيات الوطنية على المسوح التي أُجريت على نطاق \
الحركة في عامي 2019 و2021 وعلى المسح الختامي لعام 2023.""",
}

CHALLENGES_TRANSLATIONS = {
    "fr": """\
Le financement est l'obstacle le plus souvent signalé par les Sociétés nationales : faute de \
budget dédié, les activités de santé mentale et de soutien psychosocial (SMSPS) démarrent avec un \
appel d'urgence et s'arrêtent à sa clôture. La rotation du personnel et des volontaires formés \
érode les capacités plus vite que la formation ne permet de les reconstituer, et de nombreuses \
Sociétés nationales ne disposent pas de l'expertise nécessaire pour suivre la qualité et les \
résultats des services qu'elles fournissent.

Pour aller de l'avant, il faut s'appuyer sur ce qui a fonctionné : les groupes de travail ont \
offert aux Sociétés nationales un espace pour partager des outils et parler d'une seule voix. Nous \
proposons (1) de maintenir une fonction de coordination de la SMSPS à l'échelle du Mouvement une \
fois la structure intérimaire arrivée à son terme, (2) d'intégrer dès le départ la SMSPS et le \
bien-être du personnel et des volontaires dans les stratégies des Sociétés nationales et dans les \
appels d'urgence, (3) de convenir d'un ensemble restreint d'indicateurs communs, mesurés tous les \
deux ans, et (4) de mener avec les États une action conjointe de diplomatie humanitaire sur les \
engagements de la Résolution 2 en vue de la prochaine Conférence internationale.""",
    "es": """\
La financiación es el obstáculo que las Sociedades Nacionales señalan con más frecuencia: sin un \
presupuesto específico, las actividades de salud mental y apoyo psicosocial (SMAPS) comienzan con \
un llamamiento de emergencia y se interrumpen cuando este se cierra. La rotación del personal y \
los voluntarios capacitados merma la capacidad más rápido de lo que la formación consigue \
reconstituirla, y muchas Sociedades Nacionales carecen de los conocimientos especializados \
necesarios para hacer el seguimiento de la calidad y los resultados de los servicios que prestan.

El camino a seguir se basa en lo que ha funcionado: los grupos de trabajo ofrecieron a las \
Sociedades Nacionales un espacio para compartir herramientas y hablar con una sola voz. Proponemos \
(1) mantener una función de coordinación de SMAPS para todo el Movimiento una vez concluida la \
estructura provisional, (2) integrar desde el principio la SMAPS y el bienestar del personal y los \
voluntarios en las estrategias de las Sociedades Nacionales y en los llamamientos de emergencia, \
(3) acordar un conjunto reducido de indicadores comunes, que se midan cada dos años, y (4) llevar \
a cabo una labor conjunta de diplomacia humanitaria ante los Estados sobre los compromisos de la \
Resolución 2 de cara a la próxima Conferencia Internacional.""",
    "ar": """\
يمثّل التمويل العقبة التي تذكرها الجمعيات الوطنية أكثر من غيرها: فبدون ميزانية مخصصة، تبدأ أنشطة \
الصحة النفسية والدعم النفسي الاجتماعي مع إطلاق نداء طوارئ وتتوقف عند إغلاقه. ويؤدي تبدّل الموظفين \
والمتطوعين المدرَّبين إلى تآكل القدرات بوتيرة أسرع مما يتيح التدريب إعادة بنائها، وتفتقر جمعيات \
وطنية كثيرة إلى الخبرة اللازمة لرصد جودة الخدمات التي تقدمها ونتائجها.

ويقوم الطريق إلى الأمام على البناء على ما أثبت نجاحه: فقد وفّرت أفرقة العمل للجمعيات الوطنية \
منبرًا لتبادل الأدوات والتحدث بصوت واحد. ونقترح (1) الإبقاء على وظيفة لتنسيق الصحة النفسية والدعم \
النفسي الاجتماعي على نطاق الحركة بعد انتهاء الهيكلية المؤقتة، و(2) إدماج الصحة النفسية والدعم \
النفسي الاجتماعي ورفاه الموظفين والمتطوعين في استراتيجيات الجمعيات الوطنية ونداءات الطوارئ منذ \
البداية، و(3) الاتفاق على مجموعة صغيرة مشتركة من المؤشرات تُقاس كل سنتين، و(4) انتهاج دبلوماسية \
إنسانية مشتركة مع الدول بشأن الالتزامات الواردة في القرار 2 استعدادًا للمؤتمر الدولي المقبل.""",
}
