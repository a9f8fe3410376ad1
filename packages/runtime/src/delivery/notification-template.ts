/**
 * The e-mail a rep gets for `sales.assign` and `sales.notify`: who the lead is, its score
 * breakdown, the fit rules it matches, its latest points (newest first) and recent activity.
 * Filled in by `repNotification` (compose-message.ts) with `lead`, `rep`, `reason`, `fit`,
 * `ledger`, `events` and `link`.
 */
export const NOTIFICATION_TEMPLATE = {
  subject: "{{ reason }}: {{ lead.firstName | default: lead.email }} ({{ lead.tier }}, {{ lead.score }} points)",
  html: `<p>Hi {{ rep.name }},</p>
<p>{{ reason }}: <strong>{{ lead.firstName }} {{ lead.lastName }}</strong> &lt;{{ lead.email }}&gt;{% if lead.company %}, {{ lead.company }}{% endif %}.</p>
<p>Tier <strong>{{ lead.tier }}</strong>, total <strong>{{ lead.score }}</strong> (fit {{ lead.scores.fit }}, engagement {{ lead.scores.engagement }}).</p>
{% if fit.size > 0 %}<p>Fit:</p><ul>{% for f in fit %}<li>{{ f.field }} {{ f.op }} {{ f.value }}: {{ f.points }}</li>{% endfor %}</ul>{% endif %}
<p>Why (latest points):</p><ul>{% for l in ledger %}<li>{{ l.at }}: {{ l.delta }}{% if l.category %} ({{ l.category }}){% endif %} from flow {{ l.flowId }}, node {{ l.nodeId }}</li>{% endfor %}</ul>
<p>Recent activity:</p><ul>{% for e in events %}<li>{{ e.at }}: {{ e.type }} {{ e.detail }}</li>{% endfor %}</ul>
<p><a href="{{ link }}">Open the lead in Leadflow</a></p>`,
};

/** How many ledger entries and events the notification lists. */
export const NOTIFICATION_LATEST = 10;
