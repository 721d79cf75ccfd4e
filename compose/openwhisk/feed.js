// The feed action of the CloudEvents gateway: OpenWhisk calls it with the lifecycle of a trigger created with
// --feed, and it forwards the call to the gateway's feed provider endpoint, returning the gateway's answer.
//
// Bound parameters (set once on the package): gatewayUrl; gatewayApiKey, an API key with subscriptions:write, when the
// gateway authenticates (README, "Security"); and feedSecret when the gateway has Gateway:OpenWhisk:FeedSecret. Feed parameters (per trigger, -p): types, source, filters, payload; or those of
// OpenWhisk's alarms package (cron, minutes, timezone, trigger_payload, startDate, stopDate), so that the same action,
// installed as .../alarm and .../interval, replaces the alarms provider.
async function main(params) {
  const { gatewayUrl, gatewayApiKey, feedSecret, ...feed } = params;
  if (!gatewayUrl) {
    return { error: 'the feed action needs the gatewayUrl parameter (bind it to the package)' };
  }

  const headers = { 'Content-Type': 'application/json' };
  if (gatewayApiKey) {
    headers['Authorization'] = `Bearer ${gatewayApiKey}`;
  }
  if (feedSecret) {
    headers['X-Feed-Secret'] = feedSecret;
  }

  const body = JSON.stringify({ ...feed, apihost: feed.apihost || process.env.__OW_API_HOST });
  let response;
  try {
    response = await fetch(`${gatewayUrl.replace(/\/+$/, '')}/openwhisk/feed`, { method: 'POST', headers, body });
  } catch (e) {
    return { error: `the gateway at ${gatewayUrl} could not be reached: ${e.message}` };
  }

  let answer;
  try {
    answer = await response.json();
  } catch (e) {
    answer = { error: `the gateway answered ${response.status} without JSON` };
  }

  // An object with "error" fails the activation, which is how the CLI learns that the lifecycle call failed.
  return response.ok ? answer : { error: answer.error || `the gateway answered ${response.status}`, message: answer.message };
}

exports.main = main;
