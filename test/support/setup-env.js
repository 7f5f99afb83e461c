// Every test process: no SDK notice about Node 20, no AWS call by accident, no DynamoDB Local telemetry.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.DDB_LOCAL_TELEMETRY = '0';
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL || 'INFO';
