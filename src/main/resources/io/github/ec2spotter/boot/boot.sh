#!/bin/sh
# ec2spotter boot script (placeholder: the boot-script issue replaces this body).
set -eu

# >>> ec2spotter parameters
volume_id=''
volume_name=''
region=''
ec2_endpoint=''
imds_url='http://169.254.169.254'
elastic_ip=''
instance_name=''
access_key_id=''
secret_access_key=''
session_token=''
sysroot=''
devroot=''
attach_timeout='300'
device_timeout='120'
reboot='yes'
# <<< ec2spotter parameters

echo "ec2spotter: would attach $volume_id ($volume_name) in $region via $ec2_endpoint, metadata at $imds_url"
