using Gateway.Load;

// gateway-load baseline --urls URL : the bare endpoint (reads the body, answers 202), the baseline.
// gateway-load changes [--changes 200] : how long a subscription change takes to reach a second node (PostgreSQL).
// gateway-load [--duration 10] [--connections 32] [--runs 3] [--subscriptions 100] [--batch 10]
//              [--phases ingress,batch,e2e] : the baseline and the chosen gateway phases, same client, same run.
if (args.Length > 0 && args[0] == "baseline")
{
    await BaselineEndpoint.RunAsync(args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == "changes")
{
    return await ChangePropagation.RunAsync(args[1..]);
}

return await LoadRun.RunAsync(LoadOptions.Parse(args));
